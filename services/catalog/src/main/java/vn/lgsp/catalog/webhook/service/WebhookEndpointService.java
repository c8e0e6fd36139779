package vn.lgsp.catalog.webhook.service;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import vn.lgsp.catalog.subscription.domain.Subscription;
import vn.lgsp.catalog.subscription.domain.SubscriptionStatus;
import vn.lgsp.catalog.subscription.repository.SubscriptionRepository;
import vn.lgsp.catalog.support.Actor;
import vn.lgsp.catalog.support.FieldErrors;
import vn.lgsp.catalog.support.Sql;
import vn.lgsp.catalog.webhook.repository.DeliveryRepository;
import vn.lgsp.common.audit.AdminAudit;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;

/**
 * Where a subscription's webhooks go, after it was applied for: a subscriber moves its receiver, adds one, or stops
 * receiving, without applying again (and without waiting for the provider to approve anew: the URL is the
 * consumer's own business). The same destination rules as at application apply.
 */
@ApplicationScoped
public class WebhookEndpointService {

    @Inject
    Pool pool;

    @Inject
    SubscriptionRepository subscriptions;

    @Inject
    DeliveryRepository deliveries;

    @Inject
    WebhookDestinationGuard destinations;

    @Inject
    WebhookSecrets secrets;

    @Inject
    WebhookDispatcher dispatcher;

    @Inject
    AdminAudit audit;

    @Inject
    Clock clock;

    /**
     * The subscription as changed; {@code secret} only when a webhook was added (the receiver needs one, shown this
     * once); {@code retargeted} = deliveries still to be attempted that now go to the new URL (or were given up).
     */
    public record Changed(Subscription subscription, WebhookSecretService.Secret secret, int retargeted) {
    }

    public Uni<Changed> change(Actor actor, UUID id, String url) {
        return subscriptions.find(pool, id, false).chain(current -> {
            // Not yours: as if it did not exist (before any look-up of the URL), so other agencies' ids cannot be probed.
            if (current == null || !(actor.isOperator() || actor.administers(current.consumerAgency()))) {
                throw ProblemException.notFound("Subscription " + id);
            }
            FieldErrors errors = new FieldErrors();
            if (url != null && !FieldErrors.isHttpUrl(url)) {
                errors.add("webhookUrl", "httpUrl", "must be an absolute http:// or https:// URL, or null to stop webhooks");
                errors.throwIfAny();
            }
            Uni<Void> checked = url == null ? Uni.createFrom().voidItem()
                    : destinations.check(url).invoke(c -> WebhookDestinationGuard.refuseInternal(errors, c)).replaceWithVoid();
            return checked.invoke(errors::throwIfAny).chain(() -> apply(actor, id, url));
        });
    }

    private Uni<Changed> apply(Actor actor, UUID id, String url) {
        Instant now = clock.instant();
        Map<String, Object> before = new LinkedHashMap<>();
        return pool.withTransaction(conn -> subscriptions.find(conn, id, true).chain(s -> {
            if (s.status() == SubscriptionStatus.ENDED || s.status() == SubscriptionStatus.REJECTED) {
                throw FieldErrors.of(ProblemType.CONFLICT, "status", "open",
                        "Subscription " + id + " is " + s.status().wire() + ": its webhook can no longer change");
            }
            before.put("webhookUrl", s.webhookUrl());
            boolean added = s.webhookUrl() == null && url != null;
            // A webhook added later gets a secret of its own generation: any secret shown before is not reused.
            return conn.preparedQuery("UPDATE subscription SET webhook_url = $2, updated_at = $3"
                    + (added ? ", webhook_secret_generation = webhook_secret_generation + 1" : "")
                    + " WHERE id = $1 RETURNING webhook_secret_generation AS g")
                    .execute(Tuple.of(id, url, Sql.utc(now)))
                    .map(rs -> rs.iterator().next().getInteger("g"))
                    .chain(g -> deliveries.retarget(conn, id, url, now).chain(n -> subscriptions.find(conn, id, false)
                            .map(after -> new Changed(after, added ? new WebhookSecretService.Secret(id,
                                    WebhookSecrets.keyId(id, g), secrets.secret(id, g)) : null, n))));
        })).invoke(c -> {
            Map<String, Object> after = new LinkedHashMap<>();
            after.put("webhookUrl", url);
            after.put("pendingDeliveries", c.retargeted());
            if (c.secret() != null) {
                after.put("keyId", c.secret().keyId());
            }
            audit.record(actor.name(), "subscription.webhook.change", "subscription", id.toString(),
                    c.subscription().consumerAgency(), before, after);
            if (url != null && c.retargeted() > 0) {
                dispatcher.kick();
            }
        });
    }
}
