package vn.lgsp.catalog.webhook.repository;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import vn.lgsp.catalog.support.Listing;
import vn.lgsp.catalog.support.Sql;
import vn.lgsp.catalog.webhook.domain.WebhookDelivery;
import vn.lgsp.common.paging.Page;

/** webhook_delivery: created in the transaction of the change it announces, claimed and updated by the dispatcher. */
@ApplicationScoped
public class DeliveryRepository {

    private static final String COLUMNS = "d.*, s.webhook_secret_generation";

    @Inject
    Pool pool;

    @Inject
    ObjectMapper mapper;

    public Uni<Long> insert(SqlClient client, long notificationId, UUID subscriptionId, String consumerSystem,
            String consumerAgency, String url, String event, Object payload, int maxAttempts, Instant now,
            Long redeliveryOf, String requestedBy) {
        return client.preparedQuery("""
                INSERT INTO webhook_delivery (notification_id, subscription_id, consumer_system, consumer_agency, url, event,
                  payload, status, attempts, max_attempts, next_attempt_at, redelivery_of, requested_by, created_at)
                VALUES ($1,$2,$3,$4,$5,$6,$7,'pending',0,$8,$9,$10,$11,$9) RETURNING id""")
                .execute(Tuple.from(new Object[] { notificationId, subscriptionId, consumerSystem, consumerAgency, url, event,
                        Sql.jsonb(mapper, payload), maxAttempts, Sql.utc(now), redeliveryOf, requestedBy }))
                .map(rs -> rs.iterator().next().getLong("id"));
    }

    /**
     * Claims up to {@code limit} due deliveries by moving their next attempt to {@code leaseUntil}: another replica
     * (or the next poll) skips them while this attempt runs, and picks them up again if this process dies.
     */
    public Uni<List<WebhookDelivery>> claimDue(Instant now, Instant leaseUntil, int limit) {
        return pool.preparedQuery("""
                WITH due AS (SELECT id FROM webhook_delivery WHERE status = 'pending' AND next_attempt_at <= $1
                             ORDER BY next_attempt_at LIMIT $3 FOR UPDATE SKIP LOCKED)
                UPDATE webhook_delivery d SET next_attempt_at = $2 FROM due, subscription s
                WHERE d.id = due.id AND s.id = d.subscription_id RETURNING\s""" + COLUMNS)
                .execute(Tuple.of(Sql.utc(now), Sql.utc(leaseUntil), limit)).map(this::list);
    }

    /**
     * Records one attempt's outcome. A delivery given up while its attempt was in flight (the subscriber removed its
     * webhook) stays given up unless that attempt in fact delivered it.
     */
    public Uni<Void> recordAttempt(long id, String status, Instant at, Integer httpStatus, String error, Instant nextAttemptAt) {
        return pool.preparedQuery("""
                UPDATE webhook_delivery SET attempts = attempts + 1, last_attempt_at = $3, last_status = $4,
                  status = CASE WHEN status = 'pending' OR $2 = 'delivered' THEN $2 ELSE status END,
                  last_error = CASE WHEN status = 'pending' OR $2 = 'delivered' THEN $5 ELSE last_error END,
                  next_attempt_at = $6, delivered_at = CASE WHEN $2 = 'delivered' THEN $3 END
                WHERE id = $1""")
                .execute(Tuple.from(new Object[] { id, status, Sql.utc(at), httpStatus, error, Sql.utc(nextAttemptAt) }))
                .replaceWithVoid();
    }

    /**
     * The subscriber moved its receiver: deliveries still to be attempted go to {@code url} (their history and the
     * ones already delivered or given up keep the address they were sent to); null gives them up, naming why.
     */
    /**
     * The subscriptions' consumer moved agency: their deliveries (history and pending) are now its new agency's to
     * read and redeliver.
     */
    public Uni<Void> moveToAgency(SqlClient client, List<UUID> subscriptionIds, String agencyCode) {
        return client.preparedQuery("UPDATE webhook_delivery SET consumer_agency = $2 WHERE subscription_id = ANY($1)")
                .execute(Tuple.of(subscriptionIds.toArray(new UUID[0]), agencyCode)).replaceWithVoid();
    }

    public Uni<Integer> retarget(SqlClient client, UUID subscriptionId, String url, Instant at) {
        if (url != null) {
            return client.preparedQuery("UPDATE webhook_delivery SET url = $2 WHERE subscription_id = $1 AND status = 'pending'")
                    .execute(Tuple.of(subscriptionId, url)).map(rs -> rs.rowCount());
        }
        return client.preparedQuery("""
                UPDATE webhook_delivery SET status = 'failed', last_error = 'the subscriber removed its webhook',
                  next_attempt_at = $2 WHERE subscription_id = $1 AND status = 'pending'""")
                .execute(Tuple.of(subscriptionId, Sql.utc(at))).map(rs -> rs.rowCount());
    }

    public Uni<WebhookDelivery> find(SqlClient client, long id) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM webhook_delivery d JOIN subscription s ON s.id = d.subscription_id "
                + "WHERE d.id = $1").execute(Tuple.of(id)).map(rs -> {
                    List<WebhookDelivery> l = list(rs);
                    return l.isEmpty() ? null : l.get(0);
                });
    }

    public record Filter(UUID subscriptionId, String status, String consumerSystem, String consumerAgency) {
    }

    public Uni<Page<WebhookDelivery>> list(Filter f, int page, int size) {
        return new Listing().eq("d.subscription_id", f.subscriptionId()).eq("d.status", f.status())
                .eq("d.consumer_system", f.consumerSystem()).eq("d.consumer_agency", f.consumerAgency())
                .page(pool, "SELECT " + COLUMNS, "webhook_delivery d JOIN subscription s ON s.id = d.subscription_id",
                        "d.id DESC", page, size, this::map);
    }

    private List<WebhookDelivery> list(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<WebhookDelivery> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(map(r));
        }
        return out;
    }

    private WebhookDelivery map(Row r) {
        return new WebhookDelivery(r.getLong("id"), r.getLong("notification_id"), r.getUUID("subscription_id"),
                    r.getString("consumer_system"), r.getString("consumer_agency"), r.getString("url"), r.getString("event"),
                    r.getString("status"), r.getInteger("attempts"), r.getInteger("max_attempts"),
                    Sql.instant(r, "next_attempt_at"), Sql.instant(r, "last_attempt_at"), r.getInteger("last_status"),
                    r.getString("last_error"), Sql.instant(r, "delivered_at"), r.getLong("redelivery_of"),
                    r.getString("requested_by"), Sql.instant(r, "created_at"),
                    Sql.read(mapper, r.getValue("payload"), JsonNode.class), r.getInteger("webhook_secret_generation"));
    }
}
