package vn.lgsp.catalog.maintenance.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import vn.lgsp.catalog.feed.domain.MaintenanceEntry;
import vn.lgsp.catalog.maintenance.domain.MaintenanceWindow;
import vn.lgsp.catalog.support.Sql;
import vn.lgsp.common.paging.Page;

/** Maintenance windows; {@code state} is derived from catalog's clock when a row is read. */
@ApplicationScoped
public class MaintenanceRepository {

    /** The {@code state} filter of the listing and its condition ($1 is now; every condition names it, as PostgreSQL wants). */
    public static final Map<String, String> STATES = Map.of(
            "current", "status = 'scheduled' AND ends_at > $1",
            MaintenanceWindow.SCHEDULED, "status = 'scheduled' AND starts_at > $1",
            MaintenanceWindow.IN_PROGRESS, "status = 'scheduled' AND starts_at <= $1 AND ends_at > $1",
            MaintenanceWindow.COMPLETED, "status = 'scheduled' AND ends_at <= $1",
            MaintenanceWindow.CANCELLED, "status = 'cancelled' AND $1::timestamptz IS NOT NULL",
            "all", "$1::timestamptz IS NOT NULL");

    @Inject
    Pool pool;

    @Inject
    Clock clock;

    /** {@code remindedAt}: now when the announcement itself comes within the reminder's lead, else null. */
    public Uni<Void> insert(SqlClient client, MaintenanceWindow w, Instant remindedAt) {
        return client.preparedQuery("""
                INSERT INTO maintenance_window (id, title, description, service_codes, environment, impact, starts_at,
                  ends_at, emergency, emergency_reason, status, announced_by, announcer_agency, row_version, created_at,
                  updated_at, reminded_at)
                VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,'scheduled',$11,$12,1,$13,$13,$14)""")
                .execute(Tuple.from(new Object[] { w.id(), w.title(), w.description(), w.services().toArray(new String[0]),
                        w.environment(), w.impact(), Sql.utc(w.startsAt()), Sql.utc(w.endsAt()), w.emergency(),
                        w.emergencyReason(), w.announcedBy(), w.announcerAgency(), Sql.utc(w.createdAt()),
                        Sql.utc(remindedAt) }))
                .replaceWithVoid();
    }

    /**
     * Scheduled windows starting after {@code now} and by {@code until} whose subscribers were not yet reminded,
     * locked; rows another replica holds are skipped (it is reminding them).
     */
    public Uni<List<MaintenanceWindow>> lockDueReminders(SqlClient client, Instant now, Instant until, int limit) {
        return client.preparedQuery("""
                SELECT * FROM maintenance_window WHERE status = 'scheduled' AND reminded_at IS NULL
                  AND starts_at > $1 AND starts_at <= $2 ORDER BY starts_at, id LIMIT $3 FOR UPDATE SKIP LOCKED""")
                .execute(Tuple.of(Sql.utc(now), Sql.utc(until), limit)).map(rows -> {
                    List<MaintenanceWindow> out = new ArrayList<>();
                    rows.forEach(r -> out.add(map(r)));
                    return out;
                });
    }

    public Uni<Void> markReminded(SqlClient client, UUID id, Instant now) {
        return client.preparedQuery("UPDATE maintenance_window SET reminded_at = $2 WHERE id = $1")
                .execute(Tuple.of(id, Sql.utc(now))).replaceWithVoid();
    }

    public Uni<MaintenanceWindow> find(SqlClient client, UUID id, boolean forUpdate) {
        return client.preparedQuery("SELECT * FROM maintenance_window WHERE id = $1" + (forUpdate ? " FOR UPDATE" : ""))
                .execute(Tuple.of(id)).map(rows -> rows.size() == 0 ? null : map(rows.iterator().next()));
    }

    /**
     * Saves a new schedule (times, impact, texts); the version moves. A start that moved takes
     * {@code remindedIfMoved} (now when the new start is within the reminder's lead, else null: remind again).
     */
    public Uni<Void> reschedule(SqlClient client, MaintenanceWindow w, Instant now, Instant remindedIfMoved) {
        return client.preparedQuery("""
                UPDATE maintenance_window SET title = $2, description = $3, impact = $4,
                  reminded_at = CASE WHEN starts_at = $5 THEN reminded_at ELSE $10 END, starts_at = $5, ends_at = $6,
                  emergency = $7, emergency_reason = $8, row_version = row_version + 1, updated_at = $9 WHERE id = $1""")
                .execute(Tuple.from(new Object[] { w.id(), w.title(), w.description(), w.impact(), Sql.utc(w.startsAt()),
                        Sql.utc(w.endsAt()), w.emergency(), w.emergencyReason(), Sql.utc(now), Sql.utc(remindedIfMoved) }))
                .replaceWithVoid();
    }

    public Uni<Void> cancel(SqlClient client, UUID id, String reason, Instant now) {
        return client.preparedQuery("""
                UPDATE maintenance_window SET status = 'cancelled', cancel_reason = $2, cancelled_at = $3,
                  row_version = row_version + 1, updated_at = $3 WHERE id = $1""")
                .execute(Tuple.of(id, reason, Sql.utc(now))).replaceWithVoid();
    }

    /** routing's snapshot: windows not cancelled and not over. */
    public Uni<List<MaintenanceEntry>> currentEntries(SqlClient client) {
        return client.preparedQuery("SELECT * FROM maintenance_window WHERE status = 'scheduled' AND ends_at > $1 ORDER BY starts_at, id")
                .execute(Tuple.of(Sql.utc(clock.instant())))
                .map(rows -> all(rows).stream().map(MaintenanceWindow::toEntry).toList());
    }

    /**
     * @param state          a key of {@link #STATES}
     * @param serviceCode    windows covering this service (its own and the platform's), or null
     * @param environment    windows covering this environment, or null
     */
    public Uni<Page<MaintenanceWindow>> list(String state, String serviceCode, String environment, int page, int size) {
        List<Object> args = new ArrayList<>();
        args.add(Sql.utc(clock.instant()));
        StringBuilder where = new StringBuilder(" WHERE ").append(STATES.get(state));
        if (serviceCode != null) {
            args.add(serviceCode);
            where.append(" AND (cardinality(service_codes) = 0 OR $").append(args.size()).append(" = ANY(service_codes))");
        }
        if (environment != null) {
            args.add(environment);
            where.append(" AND (environment IS NULL OR environment = $").append(args.size()).append(")");
        }
        // What is coming is read soonest first; history newest first.
        boolean ahead = "current".equals(state) || MaintenanceWindow.SCHEDULED.equals(state)
                || MaintenanceWindow.IN_PROGRESS.equals(state);
        List<Object> listArgs = new ArrayList<>(args);
        listArgs.add(size);
        listArgs.add((long) page * size);
        String select = "SELECT * FROM maintenance_window" + where + " ORDER BY starts_at " + (ahead ? "ASC" : "DESC")
                + ", id LIMIT $" + (args.size() + 1) + " OFFSET $" + (args.size() + 2);
        return pool.preparedQuery("SELECT count(*) AS n FROM maintenance_window" + where).execute(Tuple.from(args))
                .map(rs -> rs.iterator().next().getLong("n"))
                .chain(total -> pool.preparedQuery(select).execute(Tuple.from(listArgs))
                        .map(rows -> new Page<>(all(rows), page, size, total)));
    }

    private List<MaintenanceWindow> all(RowSet<Row> rows) {
        List<MaintenanceWindow> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(map(r));
        }
        return out;
    }

    private MaintenanceWindow map(Row r) {
        Instant starts = Sql.instant(r, "starts_at");
        Instant ends = Sql.instant(r, "ends_at");
        String[] codes = r.getArrayOfStrings("service_codes");
        return new MaintenanceWindow(r.getUUID("id"), r.getString("title"), r.getString("description"),
                codes == null ? List.of() : List.of(codes), r.getString("environment"), r.getString("impact"), starts, ends,
                r.getBoolean("emergency"), r.getString("emergency_reason"),
                MaintenanceWindow.state(r.getString("status"), starts, ends, clock.instant()), r.getString("cancel_reason"),
                Sql.instant(r, "cancelled_at"), r.getString("announced_by"), r.getString("announcer_agency"),
                r.getInteger("row_version"), Sql.instant(r, "created_at"), Sql.instant(r, "updated_at"), null);
    }
}
