package vn.lgsp.auth.account.repository;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import vn.lgsp.auth.account.domain.Account;
import vn.lgsp.auth.revocation.repository.RevocationRepository;
import vn.lgsp.common.paging.Page;
import vn.lgsp.common.paging.PageRequest;
import vn.lgsp.common.security.RevocationFeed;

@ApplicationScoped
public class AccountRepository {

    @Inject
    Pool pool;

    /** Inserts unless the username is taken; null when it was. */
    public Uni<Account> insert(String username, String hash, String role, String agencyCode) {
        return pool.preparedQuery("""
                INSERT INTO account (username, password_hash, role, agency_code, status) VALUES ($1, $2, $3, $4, 'active')
                ON CONFLICT (username) DO NOTHING RETURNING *""")
                .execute(Tuple.of(username, hash, role, agencyCode)).map(AccountRepository::first);
    }

    public Uni<Account> find(String username) {
        return pool.preparedQuery("SELECT * FROM account WHERE username = $1").execute(Tuple.of(username))
                .map(AccountRepository::first);
    }

    /**
     * Sets the status; disabling also revokes every token the account holds (tokens_valid_after, announced in the
     * revocation feed by bumping its revision in the same transaction).
     */
    public Uni<Account> setStatus(String username, String status) {
        if (!Account.DISABLED.equals(status)) {
            return pool.preparedQuery("UPDATE account SET status = $2, updated_at = now() WHERE username = $1 RETURNING *")
                    .execute(Tuple.of(username, status)).map(AccountRepository::first);
        }
        return pool.withTransaction(conn -> conn.preparedQuery("""
                UPDATE account SET status = $2, updated_at = now(), tokens_valid_after = now() WHERE username = $1 RETURNING *""")
                .execute(Tuple.of(username, status)).map(AccountRepository::first)
                .call(a -> a == null ? Uni.createFrom().voidItem() : RevocationRepository.bump(conn)));
    }

    /** A new password hash; every token the account holds is revoked with it. Null when there is no such account. */
    public Uni<Account> setPassword(String username, String hash) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                UPDATE account SET password_hash = $2, updated_at = now(), tokens_valid_after = now()
                WHERE username = $1 RETURNING *""")
                .execute(Tuple.of(username, hash)).map(AccountRepository::first)
                .call(a -> a == null ? Uni.createFrom().voidItem() : RevocationRepository.bump(conn)));
    }

    /** Revokes every token the account holds now (as a password change does); false when there is no such account. */
    public Uni<Boolean> revokeTokens(String username) {
        return pool.withTransaction(conn -> revokeTokens(conn, username));
    }

    /** The same, in the caller's transaction (so a change and the end of the sessions it requires commit together). */
    public static Uni<Boolean> revokeTokens(SqlConnection conn, String username) {
        return conn.preparedQuery("""
                UPDATE account SET updated_at = now(), tokens_valid_after = now() WHERE username = $1 RETURNING username""")
                .execute(Tuple.of(username)).map(rows -> rows.size() > 0)
                .call(found -> found ? RevocationRepository.bump(conn) : Uni.createFrom().voidItem());
    }

    /** The second up to which the account's tokens are revoked (epoch seconds); null if never, or no such account. */
    public Uni<Long> tokensValidAfterSecond(String username) {
        return pool.preparedQuery("SELECT floor(extract(epoch FROM tokens_valid_after))::bigint FROM account WHERE username = $1")
                .execute(Tuple.of(username)).map(rows -> rows.size() == 0 ? null : rows.iterator().next().getLong(0));
    }

    /** Accounts whose tokens up to a moment were revoked after {@code since}: the feed's revokedSubjects. Caller's transaction. */
    public static Uni<List<RevocationFeed.RevokedSubject>> revokedSince(SqlConnection conn, Instant since) {
        return conn.preparedQuery("""
                SELECT username, floor(extract(epoch FROM tokens_valid_after))::bigint FROM account
                WHERE tokens_valid_after > $1 ORDER BY username""")
                .execute(Tuple.of(since.atOffset(java.time.ZoneOffset.UTC))).map(rows -> {
                    List<RevocationFeed.RevokedSubject> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new RevocationFeed.RevokedSubject(r.getString(0), r.getLong(1))));
                    return out;
                });
    }

    public Uni<Void> touchLogin(String username) {
        return pool.preparedQuery("UPDATE account SET last_login_at = now() WHERE username = $1")
                .execute(Tuple.of(username)).replaceWithVoid();
    }

    /** Disables the active agency-admin accounts of an agency that no longer exists; their usernames. */
    public Uni<List<String>> disableAgency(String agencyCode) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                UPDATE account SET status = 'disabled', updated_at = now(), tokens_valid_after = now()
                WHERE role = 'agency-admin' AND agency_code = $1 AND status = 'active' RETURNING username""")
                .execute(Tuple.of(agencyCode)).map(rows -> {
                    List<String> out = new ArrayList<>();
                    rows.forEach(r -> out.add(r.getString(0)));
                    out.sort(null);
                    return out;
                }).call(names -> names.isEmpty() ? Uni.createFrom().voidItem() : RevocationRepository.bump(conn)));
    }

    /** Moves the accounts of an agency whose code was re-issued to the new code; their usernames. Caller's transaction. */
    public static Uni<List<String>> recodeAgency(SqlConnection conn, String oldCode, String newCode) {
        return conn.preparedQuery("""
                UPDATE account SET agency_code = $2, updated_at = now() WHERE agency_code = $1 RETURNING username""")
                .execute(Tuple.of(oldCode, newCode)).map(rows -> {
                    List<String> out = new ArrayList<>();
                    rows.forEach(r -> out.add(r.getString(0)));
                    out.sort(null);
                    return out;
                });
    }

    public Uni<Page<Account>> list(PageRequest page) {
        return pool.query("SELECT count(*) FROM account").execute().map(rows -> rows.iterator().next().getLong(0))
                .chain(total -> pool.preparedQuery("SELECT * FROM account ORDER BY username LIMIT $1 OFFSET $2")
                        .execute(Tuple.of(page.size, page.offset())).map(rows -> {
                            List<Account> items = new ArrayList<>();
                            rows.forEach(r -> items.add(map(r)));
                            return new Page<>(items, page.page, page.size, total);
                        }));
    }

    private static Account first(RowSet<Row> rows) {
        return rows.size() == 0 ? null : map(rows.iterator().next());
    }

    private static Account map(Row r) {
        return new Account(r.getString("username"), r.getString("password_hash"), r.getString("role"), r.getString("agency_code"),
                r.getString("status"), instant(r, "created_at"), instant(r, "updated_at"), instant(r, "last_login_at"),
                instant(r, "tokens_valid_after"));
    }

    private static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }
}
