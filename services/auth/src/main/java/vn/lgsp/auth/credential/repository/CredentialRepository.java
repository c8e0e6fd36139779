package vn.lgsp.auth.credential.repository;

import static vn.lgsp.common.db.Timestamps.instant;
import static vn.lgsp.common.db.Timestamps.utc;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import vn.lgsp.auth.credential.domain.Credential;
import vn.lgsp.auth.revocation.repository.RevocationRepository;
import vn.lgsp.common.paging.Page;
import vn.lgsp.common.paging.PageRequest;

/** The credential table. Every revocation bumps the revocation feed's revision in the same transaction. */
@ApplicationScoped
public class CredentialRepository {

    @Inject
    Pool pool;

    public record Filter(String systemCode, String environment, String status, String agencyCode) {
    }

    public Uni<Credential> insert(Credential c) {
        return pool.preparedQuery("""
                INSERT INTO credential (id, system_code, agency_code, environment, kind, client_id, secret_hash, secret_enc,
                  status, created_at, expires_at, created_by)
                VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) RETURNING *""")
                .execute(Tuple.from(new Object[] { c.id(), c.systemCode(), c.agencyCode(), c.environment(), c.kind(),
                        c.clientId(), c.secretHash(), buffer(c.secretEnc()), c.status(), utc(c.createdAt()), utc(c.expiresAt()),
                        c.createdBy() }))
                .map(CredentialRepository::first);
    }

    public Uni<Credential> findById(UUID id) {
        return pool.preparedQuery("SELECT * FROM credential WHERE id = $1").execute(Tuple.of(id)).map(CredentialRepository::first);
    }

    public Uni<Credential> findByClientId(String clientId) {
        return pool.preparedQuery("SELECT * FROM credential WHERE client_id = $1").execute(Tuple.of(clientId))
                .map(CredentialRepository::first);
    }

    public Uni<Page<Credential>> list(Filter f, PageRequest page) {
        List<Object> args = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE true");
        if (f.systemCode() != null) {
            args.add(f.systemCode());
            where.append(" AND system_code = $").append(args.size());
        }
        if (f.environment() != null) {
            args.add(f.environment());
            where.append(" AND environment = $").append(args.size());
        }
        if (f.agencyCode() != null) {
            args.add(f.agencyCode());
            where.append(" AND agency_code = $").append(args.size());
        }
        if (f.status() != null) {
            where.append(switch (f.status()) {
                case Credential.REVOKED -> " AND status = 'revoked'";
                case Credential.EXPIRED -> " AND status = 'active' AND expires_at <= now()";
                default -> " AND status = 'active' AND (expires_at IS NULL OR expires_at > now())";
            });
        }
        Tuple countArgs = Tuple.from(args);
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(page.size);
        pageArgs.add(page.offset());
        String select = "SELECT * FROM credential" + where + " ORDER BY created_at DESC, id LIMIT $" + (args.size() + 1)
                + " OFFSET $" + (args.size() + 2);
        return pool.preparedQuery("SELECT count(*) FROM credential" + where).execute(countArgs)
                .map(rows -> rows.iterator().next().getLong(0))
                .chain(total -> pool.preparedQuery(select).execute(Tuple.from(pageArgs)).map(rows -> {
                    List<Credential> items = new ArrayList<>();
                    rows.forEach(r -> items.add(map(r)));
                    return new Page<>(items, page.page, page.size, total);
                }));
    }

    /** Revokes one credential; null if it does not exist. Revoking twice is harmless (the first time wins). */
    public Uni<Credential> revoke(UUID id) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                UPDATE credential SET status = 'revoked', revoked_at = now() WHERE id = $1 AND status = 'active' RETURNING *""")
                .execute(Tuple.of(id))
                .chain(rows -> rows.size() > 0
                        ? RevocationRepository.bump(conn).replaceWith(first(rows))
                        : conn.preparedQuery("SELECT * FROM credential WHERE id = $1").execute(Tuple.of(id)).map(CredentialRepository::first)));
    }

    /** Revokes every active credential of a system in an environment; the ones revoked now. */
    public Uni<List<Credential>> revokeAll(String systemCode, String environment) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                UPDATE credential SET status = 'revoked', revoked_at = now()
                WHERE system_code = $1 AND environment = $2 AND status = 'active' RETURNING *""")
                .execute(Tuple.of(systemCode, environment))
                .chain(rows -> {
                    List<Credential> out = new ArrayList<>();
                    rows.forEach(r -> out.add(map(r)));
                    return out.isEmpty() ? Uni.createFrom().item(out) : RevocationRepository.bump(conn).replaceWith(out);
                }));
    }

    /** Replaces the secret; the old one stays valid until {@code overlapUntil}. Null if not active. */
    public Uni<Credential> rotate(UUID id, String newHash, byte[] newEnc, Instant overlapUntil) {
        return pool.preparedQuery("""
                UPDATE credential SET previous_secret_hash = secret_hash, previous_secret_enc = secret_enc,
                  previous_valid_until = $2, secret_hash = $3, secret_enc = $4, rotated_at = now()
                WHERE id = $1 AND status = 'active' AND (expires_at IS NULL OR expires_at > now()) RETURNING *""")
                .execute(Tuple.of(id, utc(overlapUntil), newHash, buffer(newEnc)))
                .map(CredentialRepository::first);
    }

    /** A credential whose agency was just changed, with the code it had before. */
    public record AgencyMove(String systemCode, String clientId, String kind, String previousAgencyCode) {
    }

    /**
     * Moves every credential of a system (any environment, kind or status) to {@code agencyCode}; only rows that
     * named another agency, so a repeated call moves nothing. Run inside the caller's transaction.
     */
    public static Uni<List<AgencyMove>> moveSystem(SqlConnection conn, String systemCode, String agencyCode) {
        return moveWhere(conn, "system_code = $1", systemCode, agencyCode);
    }

    /** Re-codes every credential of an agency whose code was re-issued. Run inside the caller's transaction. */
    public static Uni<List<AgencyMove>> recodeAgency(SqlConnection conn, String oldCode, String newCode) {
        return moveWhere(conn, "agency_code = $1", oldCode, newCode);
    }

    // RETURNING shows new values only: the locked CTE keeps the old code (read after the lock, so it is current).
    // Locking in id order keeps a concurrent system move and agency re-coding from deadlocking each other.
    private static Uni<List<AgencyMove>> moveWhere(SqlConnection conn, String match, String key, String agencyCode) {
        return conn.preparedQuery("""
                WITH old AS (SELECT id, agency_code FROM credential WHERE %s AND agency_code <> $2 ORDER BY id FOR UPDATE)
                UPDATE credential c SET agency_code = $2 FROM old WHERE c.id = old.id
                RETURNING c.system_code, c.client_id, c.kind, old.agency_code AS previous_agency_code""".formatted(match))
                .execute(Tuple.of(key, agencyCode)).map(rows -> {
                    List<AgencyMove> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new AgencyMove(r.getString("system_code"), r.getString("client_id"),
                            r.getString("kind"), r.getString("previous_agency_code"))));
                    return out;
                });
    }

    /** Client ids revoked recently enough that tokens issued to them may still be unexpired. */
    public static Uni<List<String>> revokedSince(SqlConnection conn, Instant since) {
        return conn.preparedQuery("SELECT client_id FROM credential WHERE status = 'revoked' AND revoked_at > $1 ORDER BY client_id")
                .execute(Tuple.of(utc(since))).map(rows -> {
                    List<String> out = new ArrayList<>();
                    rows.forEach(r -> out.add(r.getString(0)));
                    return out;
                });
    }

    private static Credential first(RowSet<Row> rows) {
        return rows.size() == 0 ? null : map(rows.iterator().next());
    }

    public static Credential map(Row r) {
        return new Credential(r.getUUID("id"), r.getString("system_code"), r.getString("agency_code"), r.getString("environment"),
                r.getString("kind"), r.getString("client_id"), r.getString("secret_hash"), bytes(r, "secret_enc"),
                r.getString("previous_secret_hash"), bytes(r, "previous_secret_enc"), instant(r, "previous_valid_until"),
                r.getString("status"), instant(r, "created_at"), instant(r, "expires_at"), instant(r, "rotated_at"),
                instant(r, "revoked_at"), r.getString("created_by"));
    }

    private static byte[] bytes(Row r, String column) {
        Buffer b = r.getBuffer(column);
        return b == null ? null : b.getBytes();
    }

    /** The SQL client encodes core buffers, not the Mutiny wrappers. */
    private static io.vertx.core.buffer.Buffer buffer(byte[] bytes) {
        return bytes == null ? null : io.vertx.core.buffer.Buffer.buffer(bytes);
    }
}
