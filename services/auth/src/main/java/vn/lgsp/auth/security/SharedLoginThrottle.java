package vn.lgsp.auth.security;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import vn.lgsp.auth.config.AuthConfig;

/**
 * The sliding-window failure count of {@link FailureThrottle}, kept in PostgreSQL for admin logins, so that every
 * auth replica sees every failed guess at a human password (client secrets are 256-bit: the in-memory throttle is
 * enough for them and keeps the token endpoint off the database for it). A success on any replica clears the
 * username's failures everywhere.
 */
@ApplicationScoped
public class SharedLoginThrottle {

    @Inject
    Pool pool;

    @Inject
    AuthConfig config;

    /**
     * Seconds until {@code key} may try again (0 = go ahead): blocked while {@code max} or more failures are in the
     * window, until the {@code max}-th newest of them leaves it.
     */
    public Uni<Long> retryAfterSeconds(String key, int max) {
        return pool.preparedQuery("""
                SELECT CEIL(EXTRACT(EPOCH FROM failed_at + make_interval(secs => $3) - now()))::bigint AS wait
                FROM login_failure WHERE key = $1 AND failed_at > now() - make_interval(secs => $3)
                ORDER BY failed_at DESC OFFSET $2 LIMIT 1""")
                .execute(Tuple.of(key, Math.max(0, max - 1), windowSeconds())).map(rows -> {
                    RowIterator<Row> it = rows.iterator();
                    return it.hasNext() ? Math.max(1L, it.next().getLong("wait")) : 0L;
                });
    }

    public Uni<Void> recordFailure(String key) {
        return pool.preparedQuery("INSERT INTO login_failure (key) VALUES ($1)").execute(Tuple.of(key)).replaceWithVoid();
    }

    public Uni<Void> reset(String key) {
        return pool.preparedQuery("DELETE FROM login_failure WHERE key = $1").execute(Tuple.of(key)).replaceWithVoid();
    }

    /** Forgets failures older than the window ({@code Housekeeping}). */
    public Uni<Integer> purge() {
        return pool.preparedQuery("DELETE FROM login_failure WHERE failed_at < now() - make_interval(secs => $1)")
                .execute(Tuple.of(windowSeconds())).map(rows -> rows.rowCount());
    }

    private double windowSeconds() {
        return config.throttle().window().toMillis() / 1000.0;
    }
}
