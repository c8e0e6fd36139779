package vn.lgsp.auth.revocation.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import vn.lgsp.auth.account.repository.AccountRepository;
import vn.lgsp.auth.credential.repository.CredentialRepository;
import vn.lgsp.common.security.RevocationFeed;

/** Revoked tokens (RFC 7009) and the revision of the revocation feed routing polls. */
@ApplicationScoped
public class RevocationRepository {

    @Inject
    Pool pool;

    /** Bumps the feed revision inside the caller's transaction (row lock: revocations serialise, briefly). */
    public static Uni<Long> bump(SqlConnection conn) {
        return conn.query("UPDATE revocation_state SET revision = revision + 1 WHERE id = 1 RETURNING revision").execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** Records a revoked token until it would expire; true if it was not revoked before. */
    public Uni<Boolean> revokeToken(String jti, String clientId, String subject, Instant expiresAt) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                INSERT INTO revoked_token (jti, client_id, subject, expires_at) VALUES ($1, $2, $3, $4)
                ON CONFLICT (jti) DO NOTHING""")
                .execute(Tuple.of(jti, clientId, subject, expiresAt.atOffset(ZoneOffset.UTC)))
                .chain(rows -> rows.rowCount() > 0 ? bump(conn).replaceWith(true) : Uni.createFrom().item(false)));
    }

    public Uni<Boolean> isTokenRevoked(String jti) {
        return pool.preparedQuery("SELECT 1 FROM revoked_token WHERE jti = $1").execute(Tuple.of(jti)).map(rows -> rows.size() > 0);
    }

    public Uni<Long> revision() {
        return pool.query("SELECT revision FROM revocation_state WHERE id = 1").execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /**
     * The feed, read in one repeatable-read snapshot so the lists match the revision. Credentials and accounts whose
     * revocation is older than the longest token lifetime are left out: no token they revoke can still be presented.
     */
    public Uni<RevocationFeed> feed(Instant revokedSince) {
        return pool.withTransaction(conn -> conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ").execute()
                .chain(() -> conn.query("SELECT revision FROM revocation_state WHERE id = 1").execute())
                .map(rows -> rows.iterator().next().getLong(0))
                .chain(revision -> CredentialRepository.revokedSince(conn, revokedSince)
                        .chain(clients -> conn.query("SELECT jti FROM revoked_token WHERE expires_at > now() ORDER BY jti").execute()
                                .map(rows -> {
                                    List<String> jtis = new ArrayList<>();
                                    rows.forEach(r -> jtis.add(r.getString(0)));
                                    return jtis;
                                })
                                .chain(jtis -> AccountRepository.revokedSince(conn, revokedSince)
                                        .map(subjects -> new RevocationFeed(revision, clients, jtis, subjects))))));
    }

    /** Drops revoked tokens that have expired anyway (they no longer need to be listed). */
    public Uni<Integer> purgeExpired() {
        return pool.query("DELETE FROM revoked_token WHERE expires_at < now() - interval '1 hour'").execute()
                .map(rows -> rows.rowCount());
    }
}
