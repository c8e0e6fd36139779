package vn.lgsp.catalog.feed.repository;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import vn.lgsp.catalog.feed.domain.MaintenanceEntry;
import vn.lgsp.catalog.feed.domain.Route;
import vn.lgsp.catalog.feed.domain.SubscriptionEntry;
import vn.lgsp.catalog.support.Sql;

/**
 * routing's change feed. Every append happens inside the transaction of the change it describes, after a
 * transaction-scoped advisory lock: writers commit one after the other, so sequence order is commit order and
 * a reader that has seen seq N can never later find a smaller seq appear (no gaps to skip).
 */
@ApplicationScoped
public class ChangeLog {

    /** Arbitrary but fixed advisory-lock key of the change log ("CATL"). */
    private static final long LOCK_KEY = 0x4341544CL;

    @Inject
    Pool pool;

    @Inject
    ObjectMapper mapper;

    public Uni<Void> route(SqlConnection conn, Route route) {
        return append(conn, "route", route.key(), route);
    }

    public Uni<Void> subscription(SqlConnection conn, SubscriptionEntry s) {
        return append(conn, "subscription", s.id().toString(), s);
    }

    public Uni<Void> maintenance(SqlConnection conn, MaintenanceEntry m) {
        return append(conn, "maintenance", m.id().toString(), m);
    }

    private Uni<Void> append(SqlConnection conn, String kind, String key, Object data) {
        return conn.query("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")").execute()
                .chain(() -> conn.preparedQuery("INSERT INTO change_log (kind, item_key, data) VALUES ($1, $2, $3)")
                        .execute(Tuple.of(kind, key, Sql.jsonb(mapper, data))))
                .replaceWithVoid();
    }

    /** Deletes changes made before {@code cutoff}, always keeping the newest (it carries the revision). */
    public Uni<Integer> pruneBefore(java.time.Instant cutoff) {
        return pool.preparedQuery("DELETE FROM change_log WHERE changed_at < $1 AND seq < (SELECT max(seq) FROM change_log)")
                .execute(Tuple.of(Sql.utc(cutoff))).map(rs -> rs.rowCount());
    }

    /** The latest sequence number, 0 when nothing ever changed. */
    public Uni<Long> revision(SqlClient client) {
        return client.query("SELECT coalesce(max(seq), 0) AS rev FROM change_log").execute()
                .map(rs -> rs.iterator().next().getLong("rev"));
    }

    /** The oldest retained sequence number minus one: a reader behind it must reload the snapshot. */
    public Uni<Long> retainedSince() {
        return pool.query("SELECT coalesce(min(seq), 1) - 1 AS since FROM change_log").execute()
                .map(rs -> rs.iterator().next().getLong("since"));
    }

    public Uni<List<Change>> after(long since, int limit) {
        return pool.preparedQuery("SELECT seq, kind, item_key, data FROM change_log WHERE seq > $1 ORDER BY seq LIMIT $2")
                .execute(Tuple.of(since, limit)).map(rows -> {
                    List<Change> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Change(r.getLong("seq"), r.getString("kind"), r.getString("item_key"),
                                Sql.read(mapper, r.getValue("data"), JsonNode.class)));
                    }
                    return out;
                });
    }

    /** One change: the routing object after it, keyed by {@code serviceCode:version}, subscription or window id. */
    public record Change(long seq, String kind, String key, JsonNode data) {
    }
}
