package vn.lgsp.catalog.webhook.service;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import vn.lgsp.catalog.subscription.repository.SubscriptionRepository;
import vn.lgsp.catalog.support.Actor;
import vn.lgsp.catalog.support.CatalogConfig;
import vn.lgsp.catalog.support.FieldErrors;
import vn.lgsp.catalog.webhook.domain.WebhookDelivery;
import vn.lgsp.catalog.webhook.repository.DeliveryRepository;
import vn.lgsp.common.audit.AdminAudit;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;
import vn.lgsp.common.security.Roles;

/** Reading deliveries (each caller its own side) and asking for a new one. */
@ApplicationScoped
public class DeliveryService {

    @Inject
    Pool pool;

    @Inject
    DeliveryRepository deliveries;

    @Inject
    SubscriptionRepository subscriptions;

    @Inject
    WebhookDispatcher dispatcher;

    @Inject
    CatalogConfig config;

    @Inject
    AdminAudit audit;

    @Inject
    Clock clock;

    /** Operators and auditors see all; an agency admin its consumer systems' deliveries; a system its own. */
    public static boolean visible(Actor actor, WebhookDelivery d) {
        return actor.isOperator() || actor.is(Roles.AUDITOR) || actor.administers(d.consumerAgency())
                || actor.is(Roles.SYSTEM) && d.consumerSystem().equals(actor.name());
    }

    public Uni<WebhookDelivery> get(Actor actor, long id) {
        return deliveries.find(pool, id).map(d -> {
            if (d == null || !visible(actor, d)) {
                throw ProblemException.notFound("Webhook delivery " + id);
            }
            return d;
        });
    }

    /** A new delivery of the same notification to the same URL, attempted at once; the old record stays as it was. */
    public Uni<WebhookDelivery> redeliver(Actor actor, long id) {
        Instant now = clock.instant();
        return pool.withTransaction(conn -> deliveries.find(conn, id).chain(d -> {
            if (d == null || !visible(actor, d)) {
                throw ProblemException.notFound("Webhook delivery " + id);
            }
            actor.requireOperatorOr("redeliver webhooks of this subscriber", d.consumerAgency());
            if (WebhookDelivery.PENDING.equals(d.status())) {
                throw FieldErrors.of(ProblemType.CONFLICT, "status", "notPending",
                        "Delivery " + id + " is still being attempted (next at " + d.nextAttemptAt() + ")");
            }
            // To where the subscriber receives webhooks now: it may have moved its receiver since (or removed it).
            return subscriptions.find(conn, d.subscriptionId(), false).chain(s -> {
                if (s == null || s.webhookUrl() == null) {
                    throw FieldErrors.of(ProblemType.CONFLICT, "webhookUrl", "required",
                            "The subscription no longer has a webhook");
                }
                // the subscription's agency, not the old delivery's: the consumer may have moved agency since
                return deliveries.insert(conn, d.notificationId(), d.subscriptionId(), d.consumerSystem(),
                        s.consumerAgency(), s.webhookUrl(), d.event(), d.payload(), config.webhookMaxAttempts(), now, d.id(),
                        actor.name());
            }).chain(newId -> deliveries.find(conn, newId));
        })).invoke(created -> {
            audit.record(actor.name(), "webhook-delivery.redeliver", "webhook-delivery", String.valueOf(created.id()),
                    created.consumerAgency(), null, created);
            dispatcher.kick();
        });
    }
}
