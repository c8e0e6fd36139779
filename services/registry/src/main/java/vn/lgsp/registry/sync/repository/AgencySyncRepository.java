package vn.lgsp.registry.sync.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code agency_sync} outbox: news for auth and catalog written in the transaction of the change that makes
 * it, claimed and settled by {@code AgencySync} after the commit.
 */
@ApplicationScoped
public class AgencySyncRepository {

    /**
     * One row to deliver, with the codes the system and agency have now (the row itself holds ids). For an ended
     * agency, {@code oldCode} lists its former codes, comma-separated (or null): accounts may still carry one whose
     * re-coding is not delivered yet, and they must be disabled too.
     */
    public record Item(long id, String kind, String systemCode, String oldCode, String agencyCode, boolean authPending,
            boolean catalogPending, int generation, int attempts) {

        public boolean isSystem() {
            return SYSTEM.equals(kind);
        }

        public boolean isAgencyEnded() {
            return AGENCY_ENDED.equals(kind);
        }
    }

    /** A pending row as operators see it. */
    public record Pending(long id, String kind, String systemCode, String oldCode, String agencyCode, List<String> waitingFor,
            int attempts, Instant nextAttemptAt, String lastError, Instant createdAt) {
    }

    public static final String SYSTEM = "system";
    public static final String AGENCY_CODE = "agency-code";
    public static final String AGENCY_ENDED = "agency-ended";

    private static final String CODES = """
            (SELECT s.code FROM information_system s WHERE s.id = q.system_id) AS system_code,
            COALESCE((SELECT s.agency_code FROM information_system s WHERE s.id = q.system_id),
                     (SELECT g.code FROM agency g WHERE g.id = q.agency_id)) AS agency_code""";

    @Inject
    Pool pool;

    /**
     * Auth and catalog must learn the system's agency. A row still waiting for an earlier move is re-armed
     * (new generation, due now), so one row per system carries the latest news.
     */
    public Uni<Void> systemMoved(SqlClient conn, long systemId) {
        return conn.preparedQuery("""
                INSERT INTO agency_sync (kind, system_id, catalog_pending) VALUES ('system', $1, true)
                ON CONFLICT (system_id) WHERE kind = 'system' DO UPDATE SET auth_pending = true, catalog_pending = true,
                  generation = agency_sync.generation + 1, attempts = 0, next_attempt_at = now(), last_error = NULL""")
                .execute(Tuple.of(systemId)).replaceWithVoid();
    }

    /** Every system of the agency that is still in use moved with its re-issued code. */
    public Uni<Void> systemsOfAgencyMoved(SqlClient conn, String agencyCode) {
        return conn.preparedQuery("""
                INSERT INTO agency_sync (kind, system_id, catalog_pending)
                SELECT 'system', s.id, true FROM information_system s WHERE s.agency_code = $1 AND s.status <> 'retired'
                ON CONFLICT (system_id) WHERE kind = 'system' DO UPDATE SET auth_pending = true, catalog_pending = true,
                  generation = agency_sync.generation + 1, attempts = 0, next_attempt_at = now(), last_error = NULL""")
                .execute(Tuple.of(agencyCode)).replaceWithVoid();
    }

    /** Accounts (auth) still holding {@code oldCode} must follow the agency to its current code. */
    public Uni<Void> agencyCodeReissued(SqlClient conn, long agencyId, String oldCode) {
        return conn.preparedQuery("INSERT INTO agency_sync (kind, agency_id, old_code, catalog_pending) VALUES ('agency-code', $1, $2, false)")
                .execute(Tuple.of(agencyId, oldCode)).replaceWithVoid();
    }

    /** The agency was merged, split or dissolved: auth must disable its agency-admin accounts. */
    public Uni<Void> agencyEnded(SqlClient conn, long agencyId) {
        return conn.preparedQuery("INSERT INTO agency_sync (kind, agency_id, catalog_pending) VALUES ('agency-ended', $1, false)")
                .execute(Tuple.of(agencyId)).replaceWithVoid();
    }

    /**
     * Leases up to {@code limit} due rows to this replica for {@code lease}; rows another replica is delivering
     * are skipped, rows whose lease ran out (their replica stopped) are taken over.
     */
    public Uni<List<Item>> claimDue(int limit, Duration lease) {
        return pool.preparedQuery("""
                WITH due AS (
                  SELECT id FROM agency_sync
                  WHERE next_attempt_at <= now() AND (leased_until IS NULL OR leased_until < now())
                    AND (auth_pending OR catalog_pending)
                  ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
                UPDATE agency_sync q SET leased_until = now() + make_interval(secs => $2) FROM due WHERE q.id = due.id
                RETURNING q.id, q.kind, q.auth_pending,
                  CASE WHEN q.kind = 'agency-ended' THEN (SELECT string_agg(a.old_code, ',' ORDER BY a.old_code)
                    FROM agency_code_alias a JOIN agency g ON g.code = a.agency_code WHERE g.id = q.agency_id)
                    ELSE q.old_code END AS old_code, q.catalog_pending, q.generation, q.attempts,
                """ + CODES)
                .execute(Tuple.of(limit, (double) lease.toMillis() / 1000)).map(rows -> {
                    List<Item> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Item(r.getLong("id"), r.getString("kind"), r.getString("system_code"), r.getString("old_code"),
                                r.getString("agency_code"), r.getBoolean("auth_pending"), r.getBoolean("catalog_pending"),
                                r.getInteger("generation"), r.getInteger("attempts")));
                    }
                    out.sort(java.util.Comparator.comparingLong(Item::id));
                    return out;
                });
    }

    /**
     * Settles a delivery: the targets that accepted are done; if any is left it is tried again at {@code next}.
     * When the row was re-armed meanwhile (another move: a newer generation) nothing is marked done, since what was
     * delivered may already be stale; the lease is simply released. A row with nothing left goes away.
     */
    public Uni<Void> settle(Item item, boolean authDone, boolean catalogDone, String error, Instant next) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                UPDATE agency_sync SET auth_pending = auth_pending AND NOT $3, catalog_pending = catalog_pending AND NOT $4,
                  attempts = CASE WHEN $5::text IS NULL THEN attempts ELSE attempts + 1 END, last_error = $5,
                  next_attempt_at = COALESCE($6, next_attempt_at), leased_until = NULL
                WHERE id = $1 AND generation = $2""")
                .execute(Tuple.from(Arrays.asList(item.id(), item.generation(), authDone, catalogDone, error,
                        next == null ? null : OffsetDateTime.ofInstant(next, java.time.ZoneOffset.UTC))))
                .flatMap(updated -> updated.rowCount() > 0
                        ? conn.preparedQuery("DELETE FROM agency_sync WHERE id = $1 AND NOT auth_pending AND NOT catalog_pending")
                                .execute(Tuple.of(item.id()))
                        : conn.preparedQuery("UPDATE agency_sync SET leased_until = NULL WHERE id = $1").execute(Tuple.of(item.id())))
                .replaceWithVoid());
    }

    /** What is still to be delivered, oldest first. */
    public Uni<List<Pending>> pending(int limit) {
        return pool.preparedQuery("SELECT q.id, q.kind, q.old_code, q.auth_pending, q.catalog_pending, q.attempts, q.next_attempt_at,"
                + " q.last_error, q.created_at, " + CODES + " FROM agency_sync q ORDER BY q.id LIMIT $1")
                .execute(Tuple.of(limit)).map(rows -> {
                    List<Pending> out = new ArrayList<>();
                    for (Row r : rows) {
                        List<String> waiting = new ArrayList<>();
                        if (r.getBoolean("auth_pending")) {
                            waiting.add("auth");
                        }
                        if (r.getBoolean("catalog_pending")) {
                            waiting.add("catalog");
                        }
                        out.add(new Pending(r.getLong("id"), r.getString("kind"), r.getString("system_code"), r.getString("old_code"),
                                r.getString("agency_code"), waiting, r.getInteger("attempts"),
                                r.getOffsetDateTime("next_attempt_at").toInstant(), r.getString("last_error"),
                                r.getOffsetDateTime("created_at").toInstant()));
                    }
                    return out;
                });
    }

    /** [rows pending, age in seconds of the oldest] for the gauges. */
    public Uni<long[]> backlog() {
        return pool.query("SELECT count(*) AS n, COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0)::bigint AS age FROM agency_sync")
                .execute().map(rows -> {
                    Row r = rows.iterator().next();
                    return new long[] { r.getLong("n"), r.getLong("age") };
                });
    }
}
