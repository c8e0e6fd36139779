package vn.lgsp.audit.support;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import vn.lgsp.common.db.Timestamps;

/**
 * Blocking access to the reactive pool, for code that runs on worker threads (admin APIs, background jobs,
 * batch ingest): a transaction reads as straight-line code, which matters for the hash chain's ordering.
 * Never call it on an event-loop thread.
 */
@ApplicationScoped
public class Db {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Inject
    Pool pool;

    public RowSet<Row> q(String sql, Object... args) {
        return pool.preparedQuery(sql).execute(tuple(args)).await().atMost(TIMEOUT);
    }

    public <T> T tx(Function<Tx, T> work) {
        SqlConnection conn = pool.getConnection().await().atMost(TIMEOUT);
        try {
            Transaction tx = conn.begin().await().atMost(TIMEOUT);
            T result;
            try {
                result = work.apply(new Tx(conn));
            } catch (RuntimeException | Error e) {
                try {
                    tx.rollback().await().atMost(TIMEOUT);
                } catch (RuntimeException ignored) {
                    // the original failure matters more than a failed rollback
                }
                throw e;
            }
            tx.commit().await().atMost(TIMEOUT);
            return result;
        } finally {
            conn.close().await().atMost(TIMEOUT);
        }
    }

    public static Tuple tuple(Object... args) {
        List<Object> list = new ArrayList<>(args.length);
        for (Object a : args) {
            list.add(a instanceof Instant i ? utc(i) : a);
        }
        return Tuple.from(list);
    }

    public static OffsetDateTime utc(Instant i) {
        return Timestamps.utc(i);
    }

    public static Instant instant(Row r, String column) {
        return Timestamps.instant(r, column);
    }

    /** One connection inside a transaction. */
    public static final class Tx {
        private final SqlConnection conn;

        Tx(SqlConnection conn) {
            this.conn = conn;
        }

        public RowSet<Row> q(String sql, Object... args) {
            return conn.preparedQuery(sql).execute(tuple(args)).await().atMost(TIMEOUT);
        }

        public RowSet<Row> batch(String sql, List<Tuple> rows) {
            return conn.preparedQuery(sql).executeBatch(rows).await().atMost(TIMEOUT);
        }

        public void exec(String sql) {
            conn.query(sql).execute().await().atMost(TIMEOUT);
        }
    }
}
