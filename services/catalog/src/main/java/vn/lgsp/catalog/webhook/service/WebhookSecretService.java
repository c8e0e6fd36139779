package vn.lgsp.catalog.webhook.service;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import vn.lgsp.catalog.subscription.repository.SubscriptionRepository;
import vn.lgsp.catalog.support.Actor;
import vn.lgsp.catalog.support.FieldErrors;
import vn.lgsp.common.audit.AdminAudit;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;

/** Showing a subscriber its webhook secret (once) and rotating it. */
@ApplicationScoped
public class WebhookSecretService {

    @Inject
    Pool pool;

    @Inject
    SubscriptionRepository subscriptions;

    @Inject
    WebhookSecrets secrets;

    @Inject
    AdminAudit audit;

    /** What the subscriber needs to verify deliveries: the key id they carry and the secret behind it. */
    public record Secret(UUID subscriptionId, String keyId, String webhookSecret) {
    }

    /** The first secret of a new subscription (generation 1). */
    public Secret initial(UUID subscriptionId) {
        return new Secret(subscriptionId, WebhookSecrets.keyId(subscriptionId, 1), secrets.secret(subscriptionId, 1));
    }

    public Uni<Secret> rotate(Actor actor, UUID id) {
        String[] agency = new String[1];
        return pool.withTransaction(conn -> subscriptions.find(conn, id, true).chain(s -> {
            if (s == null || !(actor.isOperator() || actor.administers(s.consumerAgency()))) {
                // Not yours: answer as if it did not exist, so ids of other agencies cannot be probed.
                throw ProblemException.notFound("Subscription " + id);
            }
            if (s.webhookUrl() == null) {
                throw FieldErrors.of(ProblemType.CONFLICT, "webhookUrl", "required", "This subscription has no webhook");
            }
            agency[0] = s.consumerAgency();
            return conn.preparedQuery("UPDATE subscription SET webhook_secret_generation = webhook_secret_generation + 1 "
                    + "WHERE id = $1 RETURNING webhook_secret_generation AS g").execute(Tuple.of(id))
                    .map(rs -> rs.iterator().next().getInteger("g"))
                    .map(g -> new Secret(id, WebhookSecrets.keyId(id, g), secrets.secret(id, g)));
        })).invoke(secret -> audit.record(actor.name(), "subscription.webhook-secret.rotate", "subscription", id.toString(),
                agency[0], null, Map.of("keyId", secret.keyId())));
    }
}
