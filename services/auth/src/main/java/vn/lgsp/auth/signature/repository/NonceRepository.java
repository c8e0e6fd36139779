package vn.lgsp.auth.signature.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * Nonces of verified signatures, in the database so that every auth replica sees every nonce: a replay sent to
 * another replica is still caught by the primary key. Expired rows are purged by {@code security.Housekeeping}.
 */
@ApplicationScoped
public class NonceRepository {

    @Inject
    Pool pool;


    /**
     * True the first time (access key, nonce) is seen. A row whose time has passed may be taken over: by then the
     * signature's created would be refused as stale anyway.
     */
    public Uni<Boolean> firstUse(String accessKey, String nonce, Instant forgetAfter) {
        return pool.preparedQuery("""
                INSERT INTO used_nonce (access_key, nonce, expires_at) VALUES ($1, $2, $3)
                ON CONFLICT (access_key, nonce) DO UPDATE SET expires_at = EXCLUDED.expires_at
                WHERE used_nonce.expires_at < now()""")
                .execute(Tuple.of(accessKey, nonce, forgetAfter.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.rowCount() > 0);
    }

    public Uni<Integer> purgeExpired() {
        return pool.query("DELETE FROM used_nonce WHERE expires_at < now()").execute().map(rows -> rows.rowCount());
    }
}
