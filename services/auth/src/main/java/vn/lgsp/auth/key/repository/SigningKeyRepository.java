package vn.lgsp.auth.key.repository;

import static vn.lgsp.common.db.Timestamps.instant;
import static vn.lgsp.common.db.Timestamps.utc;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The signing_key table. Writers serialise on a transaction-scoped advisory lock so replicas never race. */
@ApplicationScoped
public class SigningKeyRepository {

    /** Advisory lock id of signing-key changes ("LGSP" + 1). */
    private static final long LOCK_ID = 0x4C475350_00000001L;

    @Inject
    Pool pool;

    public record StoredKey(String kid, String algorithm, byte[] publicKey, byte[] privateKeyEnc, String status,
            Instant createdAt, Instant retiredAt, Instant expiresAt) {
    }

    /** Keys that may verify a token now: the active one and retired ones still inside their overlap. */
    public Uni<List<StoredKey>> published() {
        return pool.query("SELECT * FROM signing_key WHERE status = 'active' OR expires_at > now() ORDER BY created_at DESC")
                .execute().map(rows -> {
                    List<StoredKey> out = new ArrayList<>();
                    rows.forEach(r -> out.add(map(r)));
                    return out;
                });
    }

    public Uni<Boolean> hasActive() {
        return pool.query("SELECT 1 FROM signing_key WHERE status = 'active'").execute().map(rows -> rows.size() > 0);
    }

    /** Inserts the key as active only if none is active (start-up of possibly several replicas); true if inserted. */
    public Uni<Boolean> insertIfNoActive(StoredKey key) {
        return pool.withTransaction(conn -> lock(conn)
                .chain(() -> conn.query("SELECT 1 FROM signing_key WHERE status = 'active'").execute())
                .chain(rows -> rows.size() > 0 ? Uni.createFrom().item(false) : insert(conn, key).replaceWith(true)));
    }

    /** Retires the active key (kept published until now + overlap) and makes the new one active, atomically. */
    public Uni<String> rotate(StoredKey key, Instant retiredExpiresAt) {
        return pool.withTransaction(conn -> lock(conn)
                .chain(() -> conn.preparedQuery("""
                        UPDATE signing_key SET status = 'retired', retired_at = now(), expires_at = $1
                        WHERE status = 'active' RETURNING kid""").execute(Tuple.of(utc(retiredExpiresAt))))
                .chain(rows -> {
                    String retired = rows.size() > 0 ? rows.iterator().next().getString("kid") : null;
                    return insert(conn, key).replaceWith(retired);
                }));
    }

    private Uni<Void> lock(SqlConnection conn) {
        return conn.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(LOCK_ID)).replaceWithVoid();
    }

    private Uni<Void> insert(SqlConnection conn, StoredKey k) {
        return conn.preparedQuery("""
                INSERT INTO signing_key (kid, algorithm, public_key, private_key_enc, status, created_at)
                VALUES ($1, $2, $3, $4, 'active', $5)""")
                .execute(Tuple.of(k.kid(), k.algorithm(), io.vertx.core.buffer.Buffer.buffer(k.publicKey()),
                        io.vertx.core.buffer.Buffer.buffer(k.privateKeyEnc()), utc(k.createdAt())))
                .replaceWithVoid();
    }

    private static StoredKey map(Row r) {
        return new StoredKey(r.getString("kid"), r.getString("algorithm"), r.getBuffer("public_key").getBytes(),
                r.getBuffer("private_key_enc").getBytes(), r.getString("status"), instant(r, "created_at"),
                instant(r, "retired_at"), instant(r, "expires_at"));
    }
}
