package vn.lgsp.catalog.subscription.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;
import vn.lgsp.catalog.subscription.domain.ChangeRequest;
import vn.lgsp.catalog.subscription.domain.ChangeRequestStatus;
import vn.lgsp.catalog.support.Listing;
import vn.lgsp.catalog.support.Sql;
import vn.lgsp.common.paging.Page;
import vn.lgsp.common.text.Texts;

/** Change requests on subscriptions; read joined with their subscription (service, consumer, environment). */
@ApplicationScoped
public class ChangeRequestRepository {

    private static final String SELECT_COLUMNS =
            "SELECT r.*, s.service_code, s.version, s.consumer_system, s.consumer_agency, s.environment";
    private static final String FROM = "subscription_change_request r JOIN subscription s ON s.id = r.subscription_id";
    private static final String SELECT = SELECT_COLUMNS + " FROM " + FROM;

    @Inject
    Pool pool;

    /** False when the subscription already has a pending request. */
    public Uni<Boolean> insert(SqlClient client, ChangeRequest r) {
        return client.preparedQuery("""
                INSERT INTO subscription_change_request (id, subscription_id, status, access_level, period_end, reason,
                  from_access_level, from_period_end, requested_by, created_at)
                VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)
                ON CONFLICT (subscription_id) WHERE status = 'pending' DO NOTHING""")
                .execute(Tuple.from(new Object[] { r.id(), r.subscriptionId(), r.status().wire(), r.accessLevel(),
                        r.periodEnd(), r.reason(), r.fromAccessLevel(), r.fromPeriodEnd(), r.requestedBy(),
                        Sql.utc(r.createdAt()) }))
                .map(rs -> rs.rowCount() == 1);
    }

    public Uni<ChangeRequest> find(SqlClient client, UUID id, boolean forUpdate) {
        return client.preparedQuery(SELECT + " WHERE r.id = $1" + (forUpdate ? " FOR UPDATE OF r" : ""))
                .execute(Tuple.of(id)).map(rows -> rows.iterator().hasNext() ? map(rows.iterator().next()) : null);
    }

    public Uni<Void> saveDecision(SqlClient client, ChangeRequest r) {
        return client.preparedQuery("""
                UPDATE subscription_change_request SET status=$2, granted_access_level=$3, granted_period_end=$4,
                  decision_reason=$5, decided_by=$6, decided_at=$7 WHERE id=$1""")
                .execute(Tuple.from(new Object[] { r.id(), r.status().wire(), r.grantedAccessLevel(), r.grantedPeriodEnd(),
                        r.decisionReason(), r.decidedBy(), Sql.utc(r.decidedAt()) }))
                .replaceWithVoid();
    }

    /**
     * A subscription that ended or was rejected has nothing left to change: its pending request lapses. Called
     * wherever a subscription's status is saved, so every way of ending one (either side, the period sweep, a
     * retirement) takes its request with it.
     */
    public Uni<Void> lapse(SqlClient client, UUID subscriptionId, String why, Instant now) {
        return client.preparedQuery("""
                UPDATE subscription_change_request SET status='lapsed', decision_reason=$2, decided_at=$3
                WHERE subscription_id=$1 AND status='pending'""")
                .execute(Tuple.of(subscriptionId, Texts.clipMarked(why, 2000), Sql.utc(now)))
                .replaceWithVoid();
    }

    public Uni<Page<ChangeRequest>> list(Filter f, int page, int size) {
        return new Listing().eq("r.status", f.status()).eq("r.subscription_id", f.subscriptionId())
                .eq("s.service_code", f.serviceCode()).eq("s.consumer_system", f.consumerSystem())
                .sideOf(f.visibleToAgency(), "s.consumer_agency", "s.service_code")
                .page(pool, SELECT_COLUMNS, FROM, "r.created_at DESC, r.id", page, size, ChangeRequestRepository::map);
    }

    private static ChangeRequest map(Row r) {
        return new ChangeRequest(r.getUUID("id"), r.getUUID("subscription_id"), r.getString("service_code"),
                r.getString("version"), r.getString("consumer_system"), r.getString("consumer_agency"),
                r.getString("environment"), ChangeRequestStatus.of(r.getString("status")), r.getString("access_level"),
                r.getLocalDate("period_end"), r.getString("reason"), r.getString("from_access_level"),
                r.getLocalDate("from_period_end"), r.getString("granted_access_level"), r.getLocalDate("granted_period_end"),
                r.getString("decision_reason"), r.getString("requested_by"), r.getString("decided_by"),
                Sql.instant(r, "created_at"), Sql.instant(r, "decided_at"));
    }

    /** List filters; null means "any". {@code visibleToAgency} limits an agency admin to its own side. */
    public record Filter(String status, UUID subscriptionId, String serviceCode, String consumerSystem,
            String visibleToAgency) {
    }
}
