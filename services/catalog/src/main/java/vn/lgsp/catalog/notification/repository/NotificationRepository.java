package vn.lgsp.catalog.notification.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import vn.lgsp.catalog.support.Listing;
import vn.lgsp.catalog.support.Sql;
import vn.lgsp.common.paging.Page;
import vn.lgsp.common.text.Texts;

/** What each subscriber was told about the versions it uses. */
@ApplicationScoped
public class NotificationRepository {

    @Inject
    Pool pool;

    /** Stores a notification and answers its id. */
    public Uni<Long> insert(SqlClient client, Notification n) {
        return client.preparedQuery("""
                INSERT INTO notification (subscription_id, consumer_system, consumer_agency, service_code, version, event,
                  from_status, to_status, sunset_at, retire_at, period_end, maintenance_id, starts_at, ends_at, comment,
                  created_at, access_level)
                VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17) RETURNING id""")
                .execute(Tuple.from(new Object[] { n.subscriptionId(), n.consumerSystem(), n.consumerAgency(),
                        n.serviceCode(), n.version(), n.event(), n.fromStatus(), n.toStatus(), Sql.utc(n.sunsetAt()),
                        Sql.utc(n.retireAt()), n.periodEnd(), n.maintenanceId(), Sql.utc(n.startsAt()), Sql.utc(n.endsAt()),
                        n.comment(), Sql.utc(n.createdAt()), n.accessLevel() }))
                .map(rs -> rs.iterator().next().getLong("id"));
    }

    /** The subscriptions' consumer moved agency: their notifications are now its new agency's to read. */
    public Uni<Void> moveToAgency(SqlClient client, List<UUID> subscriptionIds, String agencyCode) {
        return client.preparedQuery("UPDATE notification SET consumer_agency = $2 WHERE subscription_id = ANY($1)")
                .execute(Tuple.of(subscriptionIds.toArray(new UUID[0]), agencyCode)).replaceWithVoid();
    }

    public Uni<Page<Notification>> list(String consumerSystem, String visibleToAgency, int page, int size) {
        return new Listing().eq("consumer_system", consumerSystem).eq("consumer_agency", visibleToAgency)
                .page(pool, "SELECT *", "notification", "id DESC", page, size, r -> new Notification(r.getLong("id"),
                        r.getUUID("subscription_id"), r.getString("consumer_system"), r.getString("consumer_agency"),
                        r.getString("service_code"), r.getString("version"), r.getString("event"), r.getString("from_status"),
                        r.getString("to_status"), Sql.instant(r, "sunset_at"), Sql.instant(r, "retire_at"),
                        r.getLocalDate("period_end"), r.getUUID("maintenance_id"), Sql.instant(r, "starts_at"),
                        Sql.instant(r, "ends_at"), r.getString("access_level"), r.getString("comment"),
                        Sql.instant(r, "created_at")));
    }

    /**
     * One message to one subscriber; {@code event} is e.g. {@code version.deprecated} (statuses are the version's) or
     * {@code subscription.expiring} (statuses are the subscription's; {@code periodEnd} its last day of use) or
     * {@code maintenance.scheduled} ({@code maintenanceId}, {@code startsAt}, {@code endsAt}: the window) or
     * {@code subscription.access-changed} ({@code accessLevel}: the level granted now) or
     * {@code subscription.change-approved} / {@code subscription.change-rejected} (a change request's decision;
     * {@code accessLevel} and {@code periodEnd}: the subscription's terms after it).
     */
    public record Notification(Long id, UUID subscriptionId, String consumerSystem, String consumerAgency,
            String serviceCode, String version, String event, String fromStatus, String toStatus, Instant sunsetAt,
            Instant retireAt, LocalDate periodEnd, UUID maintenanceId, Instant startsAt, Instant endsAt,
            String accessLevel, String comment, Instant createdAt) {

        /** What the comment column holds; texts built around a caller's 2000-character reason can be longer. */
        static final int MAX_COMMENT = 2000;

        public Notification {
            comment = Texts.clipMarked(comment, MAX_COMMENT);
        }

        /** A notification about the subscription or its version: no maintenance window. */
        public Notification(Long id, UUID subscriptionId, String consumerSystem, String consumerAgency,
                String serviceCode, String version, String event, String fromStatus, String toStatus, Instant sunsetAt,
                Instant retireAt, LocalDate periodEnd, String comment, Instant createdAt) {
            this(id, subscriptionId, consumerSystem, consumerAgency, serviceCode, version, event, fromStatus, toStatus,
                    sunsetAt, retireAt, periodEnd, null, null, null, null, comment, createdAt);
        }

        public Notification withId(long newId) {
            return new Notification(newId, subscriptionId, consumerSystem, consumerAgency, serviceCode, version, event,
                    fromStatus, toStatus, sunsetAt, retireAt, periodEnd, maintenanceId, startsAt, endsAt, accessLevel, comment,
                    createdAt);
        }
    }
}
