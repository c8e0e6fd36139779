package vn.lgsp.catalog.subscription.repository;

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
import vn.lgsp.catalog.feed.domain.SubscriptionEntry;
import vn.lgsp.catalog.subscription.domain.Subscription;
import vn.lgsp.catalog.subscription.domain.SubscriptionStatus;
import vn.lgsp.catalog.support.Listing;
import vn.lgsp.catalog.support.Sql;
import vn.lgsp.common.paging.Page;
import vn.lgsp.common.problem.ProblemException;

/** The subscription table. Writes take the caller's connection (its transaction). */
@ApplicationScoped
public class SubscriptionRepository {

    @Inject
    Pool pool;

    @Inject
    ChangeRequestRepository changeRequests;

    /** False when an open subscription for the same version, consumer and environment already exists. */
    public Uni<Boolean> insert(SqlClient client, Subscription s) {
        return client.preparedQuery("""
                INSERT INTO subscription (id, service_code, version, consumer_system, consumer_agency, environment, purpose,
                  expected_frequency, period_start, period_end, webhook_url, status, requests_per_second, burst, daily_quota,
                  reason, carried_over_from, requested_by, decided_by, created_at, updated_at, requested_access_level,
                  access_level)
                VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$20,$21,$22)
                ON CONFLICT (service_code, version, consumer_system, environment)
                  WHERE status IN ('pending', 'active', 'suspended') DO NOTHING""")
                .execute(Tuple.from(new Object[] { s.id(), s.serviceCode(), s.version(), s.consumerSystem(),
                        s.consumerAgency(), s.environment(), s.purpose(), s.expectedFrequency(), s.periodStart(),
                        s.periodEnd(), s.webhookUrl(), s.status().wire(), s.requestsPerSecond(), s.burst(), s.dailyQuota(),
                        s.reason(), s.carriedOverFrom(), s.requestedBy(), s.decidedBy(), Sql.utc(s.createdAt()),
                        s.requestedAccessLevel(), s.accessLevel() }))
                .map(rs -> rs.rowCount() == 1);
    }

    public Uni<Subscription> find(SqlClient client, UUID id, boolean forUpdate) {
        return client.preparedQuery("SELECT * FROM subscription WHERE id = $1" + (forUpdate ? " FOR UPDATE" : ""))
                .execute(Tuple.of(id)).map(rows -> rows.iterator().hasNext() ? map(rows.iterator().next()) : null);
    }

    /** The subscription, locked for the caller's transaction; 404 when there is none. */
    public Uni<Subscription> lock(SqlClient client, UUID id) {
        return find(client, id, true).map(s -> {
            if (s == null) {
                throw ProblemException.notFound("Subscription " + id);
            }
            return s;
        });
    }

    /** Saves a status change; an ended subscription's pending change request lapses with it. */
    public Uni<Void> saveState(SqlClient client, Subscription s) {
        Uni<Void> saved = client.preparedQuery("""
                UPDATE subscription SET status=$2, requests_per_second=$3, burst=$4, daily_quota=$5, reason=$6,
                  decided_by=$7, updated_at=$8, access_level=$9 WHERE id=$1""")
                .execute(Tuple.from(new Object[] { s.id(), s.status().wire(), s.requestsPerSecond(), s.burst(),
                        s.dailyQuota(), s.reason(), s.decidedBy(), Sql.utc(s.updatedAt()), s.accessLevel() }))
                .replaceWithVoid();
        if (s.status() != SubscriptionStatus.ENDED) {
            return saved;
        }
        return saved.chain(() -> changeRequests.lapse(client, s.id(), "The subscription ended"
                + (s.reason() == null || s.reason().isBlank() ? "" : ": " + s.reason()), s.updatedAt()));
    }

    public Uni<Void> saveAccessLevel(SqlClient client, Subscription s) {
        return client.preparedQuery("""
                UPDATE subscription SET requested_access_level=$2, access_level=$3, reason=$4, updated_at=$5 WHERE id=$1""")
                .execute(Tuple.of(s.id(), s.requestedAccessLevel(), s.accessLevel(), s.reason(), Sql.utc(s.updatedAt())))
                .replaceWithVoid();
    }

    /** Changes the last day of the period of use; a notice that it ends is due again before the new end. */
    public Uni<Void> savePeriodEnd(SqlClient client, Subscription s) {
        return client.preparedQuery("""
                UPDATE subscription SET period_end=$2, reason=$3, updated_at=$4, expiry_notice_at=NULL WHERE id=$1""")
                .execute(Tuple.of(s.id(), s.periodEnd(), s.reason(), Sql.utc(s.updatedAt()))).replaceWithVoid();
    }

    /**
     * Active or suspended subscriptions whose period of use ended before {@code today}, locked; rows another replica
     * holds are skipped (it is ending them), so replicas sweeping at once never end one twice.
     */
    public Uni<List<Subscription>> lockPastPeriod(SqlClient client, LocalDate today, int limit) {
        return client.preparedQuery("""
                SELECT * FROM subscription WHERE status IN ('active', 'suspended') AND period_end < $1
                ORDER BY period_end, id LIMIT $2 FOR UPDATE SKIP LOCKED""")
                .execute(Tuple.of(today, limit)).map(this::all);
    }

    /** Active or suspended subscriptions whose period ends on or before {@code lastDay} and were not yet told, locked. */
    public Uni<List<Subscription>> lockEndingUntold(SqlClient client, LocalDate lastDay, int limit) {
        return client.preparedQuery("""
                SELECT * FROM subscription WHERE status IN ('active', 'suspended') AND period_end <= $1
                  AND expiry_notice_at IS NULL
                ORDER BY period_end, id LIMIT $2 FOR UPDATE SKIP LOCKED""")
                .execute(Tuple.of(lastDay, limit)).map(this::all);
    }

    public Uni<Void> markExpiryNoticed(SqlClient client, List<UUID> ids, Instant now) {
        return client.preparedQuery("UPDATE subscription SET expiry_notice_at = $2 WHERE id = ANY($1)")
                .execute(Tuple.of(ids.toArray(new UUID[0]), Sql.utc(now))).replaceWithVoid();
    }

    /** Subscribers of a version who still hear about it: pending, active or suspended. */
    public Uni<List<Subscription>> openFor(SqlClient client, String code, String version) {
        return client.preparedQuery("SELECT * FROM subscription WHERE service_code = $1 AND version = $2"
                + " AND status IN ('pending', 'active', 'suspended') ORDER BY created_at FOR UPDATE")
                .execute(Tuple.of(code, version)).map(this::all);
    }

    /**
     * Subscriptions a maintenance window concerns: active or suspended ones (connected systems) to the given services
     * (all when empty) in the given environment (both when null).
     */
    public Uni<List<Subscription>> connectedTo(SqlClient client, List<String> serviceCodes, String environment) {
        return client.preparedQuery("SELECT * FROM subscription WHERE status IN ('active', 'suspended')"
                + " AND (cardinality($1::varchar[]) = 0 OR service_code = ANY($1)) AND ($2::varchar IS NULL OR environment = $2)"
                + " ORDER BY created_at, id")
                .execute(Tuple.of(serviceCodes.toArray(new String[0]), environment)).map(this::all);
    }

    /** A consumer system's pending, active and suspended subscriptions, locked; ended and rejected ones are history. */
    public Uni<List<Subscription>> lockOpenOfConsumer(SqlClient client, String systemCode) {
        return client.preparedQuery("SELECT * FROM subscription WHERE consumer_system = $1"
                + " AND status IN ('pending', 'active', 'suspended') ORDER BY id FOR UPDATE")
                .execute(Tuple.of(systemCode)).map(this::all);
    }

    public Uni<Void> moveToAgency(SqlClient client, List<UUID> ids, String agencyCode, Instant now) {
        return client.preparedQuery("UPDATE subscription SET consumer_agency = $2, updated_at = $3 WHERE id = ANY($1)")
                .execute(Tuple.of(ids.toArray(new UUID[0]), agencyCode, Sql.utc(now))).replaceWithVoid();
    }

    public Uni<List<SubscriptionEntry>> activeEntries(SqlClient client) {
        return client.query("SELECT * FROM subscription WHERE status = 'active' ORDER BY service_code, version, id")
                .execute().map(rows -> all(rows).stream().map(Subscription::toEntry).toList());
    }

    public Uni<Page<Subscription>> list(Filter f, int page, int size) {
        return new Listing().eq("consumer_system", f.consumerSystem()).eq("environment", f.environment())
                .eq("status", f.status()).eq("service_code", f.serviceCode()).eq("version", f.version())
                .sideOf(f.visibleToAgency(), "consumer_agency", "service_code")
                .page(pool, "SELECT *", "subscription", "created_at DESC, id", page, size, this::map);
    }

    private List<Subscription> all(io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<Subscription> out = new ArrayList<>();
        rows.forEach(r -> out.add(map(r)));
        return out;
    }

    private Subscription map(Row r) {
        return new Subscription(r.getUUID("id"), r.getString("service_code"), r.getString("version"),
                r.getString("consumer_system"), r.getString("consumer_agency"), r.getString("environment"),
                r.getString("purpose"), r.getString("expected_frequency"), r.getString("requested_access_level"),
                r.getString("access_level"), r.getLocalDate("period_start"),
                r.getLocalDate("period_end"), r.getString("webhook_url"), SubscriptionStatus.of(r.getString("status")),
                r.getInteger("requests_per_second"), r.getInteger("burst"), r.getLong("daily_quota"), r.getString("reason"),
                r.getUUID("carried_over_from"), r.getString("requested_by"), r.getString("decided_by"),
                Sql.instant(r, "created_at"), Sql.instant(r, "updated_at"));
    }

    /** List filters; null means "any". {@code visibleToAgency} limits an agency admin to its own side. */
    public record Filter(String consumerSystem, String environment, String status, String serviceCode, String version,
            String visibleToAgency) {
    }
}
