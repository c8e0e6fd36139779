package vn.lgsp.auth.sso.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import vn.lgsp.auth.account.repository.AccountRepository;

/** Links between people at an identity provider and admin accounts, and the ID tokens already exchanged. */
@ApplicationScoped
public class IdentityRepository {


    /** One link: the person {@code subject} at {@code provider} signs in as {@code username}. */
    public record Link(String provider, String subject, String username, String linkedBy, Instant linkedAt,
            Instant lastUsedAt) {
    }

    @Inject
    Pool pool;

    /** A link as set, and the subject it replaced at that provider (null when there was none). */
    public record Change(Link link, String previousSubject) {
    }

    /**
     * Links the person to the account, replacing the account's link at that provider; null when the person is linked
     * to another account. The account's row is locked first, so two operators changing its links at once are
     * serialised and each sees the subject the other left (whose sessions must end).
     */
    public Uni<Change> link(String username, String provider, String subject, String actor) {
        return pool.withTransaction(conn -> conn.preparedQuery("SELECT 1 FROM account WHERE username = $1 FOR UPDATE")
                .execute(Tuple.of(username))
                .chain(() -> conn.preparedQuery("""
                        SELECT username, subject FROM account_identity
                        WHERE (provider = $1 AND subject = $2) OR (provider = $1 AND username = $3)""")
                        .execute(Tuple.of(provider, subject, username)))
                .chain(rows -> {
                    String previous = null;
                    for (Row r : rows) {
                        if (!username.equals(r.getString("username"))) {
                            return Uni.createFrom().<Change>nullItem();
                        }
                        previous = r.getString("subject");
                    }
                    String replaced = previous;
                    return conn.preparedQuery("""
                            INSERT INTO account_identity (provider, subject, username, linked_by) VALUES ($1, $2, $3, $4)
                            ON CONFLICT (username, provider) DO UPDATE SET subject = EXCLUDED.subject,
                              linked_by = EXCLUDED.linked_by, linked_at = now(), last_used_at = NULL
                            RETURNING *""").execute(Tuple.of(provider, subject, username, actor))
                            .map(r -> new Change(map(r.iterator().next()), replaced))
                            // Another person was linked: their sessions end in this same transaction, so no failure
                            // after the commit can leave them signed in (and a retry would see nothing to replace).
                            .call(c -> replaced != null && !replaced.equals(subject)
                                    ? AccountRepository.revokeTokens(conn, username) : Uni.createFrom().voidItem());
                }))
                // Another operator linked the same person to another account at the same moment: the key refused it.
                .onFailure(e -> e instanceof io.vertx.pgclient.PgException pg && "23505".equals(pg.getSqlState()))
                .recoverWithNull();
    }

    /**
     * Removes the account's link to a provider and ends the account's sessions in the same transaction; the subject it
     * had, or null when there was none.
     */
    public Uni<String> unlink(String username, String provider) {
        return pool.withTransaction(conn -> conn.preparedQuery(
                "DELETE FROM account_identity WHERE username = $1 AND provider = $2 RETURNING subject")
                .execute(Tuple.of(username, provider))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0))
                .call(subject -> subject != null ? AccountRepository.revokeTokens(conn, username)
                        : Uni.createFrom().voidItem()));
    }

    public Uni<List<Link>> of(String username) {
        return pool.preparedQuery("SELECT * FROM account_identity WHERE username = $1 ORDER BY provider")
                .execute(Tuple.of(username)).map(rows -> {
                    List<Link> out = new ArrayList<>();
                    rows.forEach(r -> out.add(map(r)));
                    return out;
                });
    }

    /** The account a person signs in as (and the time noted), or null when they are linked to none. */
    public Uni<String> use(String provider, String subject) {
        return pool.preparedQuery("""
                UPDATE account_identity SET last_used_at = now() WHERE provider = $1 AND subject = $2 RETURNING username""")
                .execute(Tuple.of(provider, subject))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getString(0));
    }

    /** Whether the person is (still) linked to the account. */
    public Uni<Boolean> linked(String provider, String subject, String username) {
        return pool.preparedQuery("SELECT 1 FROM account_identity WHERE provider = $1 AND subject = $2 AND username = $3")
                .execute(Tuple.of(provider, subject, username)).map(rows -> rows.size() > 0);
    }

    /** True the first time a token (by its SHA-256) is exchanged; remembered until it expires. */
    public Uni<Boolean> firstExchange(byte[] tokenHash, Instant expiresAt) {
        return pool.preparedQuery("""
                INSERT INTO exchanged_token (token_hash, expires_at) VALUES ($1, $2) ON CONFLICT (token_hash) DO NOTHING""")
                .execute(Tuple.of(io.vertx.core.buffer.Buffer.buffer(tokenHash), expiresAt.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.rowCount() > 0);
    }

    /** Forgets tokens a minute past their expiry (they would be refused as expired anyway); {@code Housekeeping}. */
    public Uni<Integer> purgeExpired() {
        return pool.query("DELETE FROM exchanged_token WHERE expires_at < now() - interval '1 minute'").execute()
                .map(rows -> rows.rowCount());
    }

    private static Link map(Row r) {
        return new Link(r.getString("provider"), r.getString("subject"), r.getString("username"), r.getString("linked_by"),
                instant(r.getOffsetDateTime("linked_at")), instant(r.getOffsetDateTime("last_used_at")));
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
