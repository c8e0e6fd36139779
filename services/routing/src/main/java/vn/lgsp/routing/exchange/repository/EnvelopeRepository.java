package vn.lgsp.routing.exchange.repository;

import static vn.lgsp.common.db.Timestamps.instant;
import static vn.lgsp.common.db.Timestamps.utc;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import vn.lgsp.common.paging.Page;
import vn.lgsp.routing.exchange.domain.Envelope;
import vn.lgsp.routing.exchange.domain.Notice;

/** Envelopes, their content and the notices of the event streams, in routing's schema. */
@ApplicationScoped
public class EnvelopeRepository {

    /** The channel every replica listens on (ExchangeNotices); the payload is the notice as JSON. */
    public static final String CHANNEL = "lgsp_exchange";

    @Inject
    Pool pool;

    public Pool pool() {
        return pool;
    }

    /**
     * Inserts a new envelope; with an idempotency key, only if the source has not used that key yet in this
     * environment (then false: nothing was inserted, the earlier envelope stands).
     */
    public Uni<Boolean> insert(SqlClient client, Envelope e, String idempotencyKey, String requestSha256) {
        return client.preparedQuery("""
                INSERT INTO exchange_envelope (id, environment, service_code, service_version, subscription_id,
                  source_system, source_agency, recipient_system, recipient_agency, title, importance, data_type, protocol,
                  state, max_bytes, expires_at, created_at, updated_at, row_version, idempotency_key, request_sha256)
                VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$17,1,$18,$19)
                ON CONFLICT (source_system, environment, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING""")
                .execute(Tuple.from(new Object[] { e.id(), e.environment(), e.serviceCode(), e.version(), e.subscriptionId(),
                        e.sourceSystem(), e.sourceAgency(), e.recipientSystem(), e.recipientAgency(), e.title(),
                        e.importance(), e.dataType(), e.protocol(), e.state(), e.maxBytes(), utc(e.expiresAt()),
                        utc(e.createdAt()), idempotencyKey, requestSha256 }))
                .map(rows -> rows.rowCount() == 1);
    }

    /** The envelope a source opened with an idempotency key, and the request's SHA-256 then; null if none. */
    public Uni<Keyed> findByIdempotencyKey(SqlClient client, String sourceSystem, String environment, String key) {
        return client.preparedQuery("""
                SELECT * FROM exchange_envelope WHERE source_system = $1 AND environment = $2 AND idempotency_key = $3""")
                .execute(Tuple.of(sourceSystem, environment, key))
                .map(rows -> rows.size() == 0 ? null : new Keyed(map(rows.iterator().next()),
                        rows.iterator().next().getString("request_sha256")));
    }

    /** An envelope opened with an idempotency key, and the SHA-256 of the request that opened it. */
    public record Keyed(Envelope envelope, String requestSha256) {
    }

    public Uni<Envelope> find(SqlClient client, UUID id, boolean forUpdate) {
        return client.preparedQuery("SELECT * FROM exchange_envelope WHERE id = $1" + (forUpdate ? " FOR UPDATE" : ""))
                .execute(Tuple.of(id)).map(rows -> rows.size() == 0 ? null : map(rows.iterator().next()));
    }

    /** Writes every field that moves; the version moves with it. */
    public Uni<Envelope> update(SqlClient client, Envelope e) {
        return client.preparedQuery("""
                UPDATE exchange_envelope SET state = $2, content_bytes = $3, content_sha256 = $4, formats = $5,
                  served_sha256 = $6, downloads = $7, reason = $8, uploaded_at = $9, accepted_at = $10, finished_at = $11,
                  updated_at = $12, row_version = row_version + 1
                WHERE id = $1 RETURNING *""")
                .execute(Tuple.from(new Object[] { e.id(), e.state(), e.contentBytes(), e.contentSha256(),
                        e.formats().toArray(new String[0]), e.servedSha256().toArray(new String[0]), e.downloads(),
                        e.reason(), utc(e.uploadedAt()), utc(e.acceptedAt()), utc(e.finishedAt()), utc(e.updatedAt()) }))
                .map(rows -> map(rows.iterator().next()));
    }

    public Uni<Void> storeContent(SqlClient client, UUID id, byte[] body) {
        return client.preparedQuery("""
                INSERT INTO exchange_content (envelope_id, body) VALUES ($1, $2)
                ON CONFLICT (envelope_id) DO UPDATE SET body = EXCLUDED.body""")
                .execute(Tuple.of(id, Buffer.buffer(body))).replaceWithVoid();
    }

    public Uni<byte[]> content(UUID id) {
        return pool.preparedQuery("SELECT body FROM exchange_content WHERE envelope_id = $1").execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getBuffer("body").getBytes());
    }

    public Uni<Void> deleteContent(SqlClient client, UUID id) {
        return client.preparedQuery("DELETE FROM exchange_content WHERE envelope_id = $1").execute(Tuple.of(id))
                .replaceWithVoid();
    }

    /**
     * @param system      the envelopes this system sends (box outbox) or receives (inbox); null = every system (operators)
     * @param box         inbox, outbox, or null with a null system
     * @param environment the caller's environment, or null for every one
     * @param state       one of {@link Envelope#STATES}, "open", or null for all
     */
    public Uni<Page<Envelope>> list(String system, String box, String environment, String state, String serviceCode,
            int page, int size) {
        List<Object> args = new ArrayList<>();
        StringBuilder where = new StringBuilder(" WHERE true");
        if (system != null) {
            args.add(system);
            where.append(" AND ").append("outbox".equals(box) ? "source_system" : "recipient_system").append(" = $")
                    .append(args.size());
        }
        if (environment != null) {
            args.add(environment);
            where.append(" AND environment = $").append(args.size());
        }
        if ("open".equals(state)) {
            where.append(" AND state IN ('awaiting-upload', 'ready', 'accepted')");
        } else if (state != null) {
            args.add(state);
            where.append(" AND state = $").append(args.size());
        }
        if (serviceCode != null) {
            args.add(serviceCode);
            where.append(" AND service_code = $").append(args.size());
        }
        List<Object> listArgs = new ArrayList<>(args);
        listArgs.add(size);
        listArgs.add((long) page * size);
        // A recipient's inbox is its work queue, planned by importance: urgent first, then oldest first within each
        // level. Everything else (outboxes, the overseers' views) reads as history, newest first.
        String order = system != null && !"outbox".equals(box)
                ? "CASE importance WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END, created_at ASC, id"
                : "created_at DESC, id";
        String select = "SELECT * FROM exchange_envelope" + where + " ORDER BY " + order + " LIMIT $"
                + (args.size() + 1) + " OFFSET $" + (args.size() + 2);
        return pool.preparedQuery("SELECT count(*) AS n FROM exchange_envelope" + where).execute(Tuple.from(args))
                .map(rs -> rs.iterator().next().getLong("n"))
                .chain(total -> pool.preparedQuery(select).execute(Tuple.from(listArgs))
                        .map(rows -> new Page<>(all(rows), page, size, total)));
    }

    /** Open envelopes past their expiry, locked so that two replicas' sweeps never close the same one. */
    public Uni<List<Envelope>> expired(SqlClient client, Instant now, int limit) {
        return client.preparedQuery("""
                SELECT * FROM exchange_envelope WHERE state IN ('awaiting-upload', 'ready', 'accepted') AND expires_at <= $1
                ORDER BY expires_at LIMIT $2 FOR UPDATE SKIP LOCKED""")
                .execute(Tuple.of(utc(now), limit)).map(this::all);
    }

    /** Forgets finished envelopes and notices older than the history retention. */
    public Uni<Long> purge(Instant before) {
        return pool.preparedQuery("DELETE FROM exchange_envelope WHERE finished_at < $1").execute(Tuple.of(utc(before)))
                .chain(a -> pool.preparedQuery("DELETE FROM exchange_notice WHERE created_at < $1")
                        .execute(Tuple.of(utc(before))).map(b -> (long) a.rowCount() + b.rowCount()));
    }

    /** Stores a notice and announces it to every replica once the transaction commits (NOTIFY is transactional). */
    public Uni<Notice> notice(SqlClient client, String system, String environment, UUID envelopeId, String kind,
            JsonObject body, Instant at) {
        return client.preparedQuery("""
                INSERT INTO exchange_notice (system_code, environment, envelope_id, kind, body, created_at)
                VALUES ($1, $2, $3, $4, $5, $6) RETURNING id""")
                .execute(Tuple.of(system, environment, envelopeId, kind, body, utc(at)))
                .map(rows -> new Notice(rows.iterator().next().getLong("id"), system, environment, kind, body))
                .call(n -> client.preparedQuery("SELECT pg_notify($1, $2)").execute(Tuple.of(CHANNEL, n.toJson().encode())));
    }

    /** The notices after {@code afterId} for a system, oldest first: what a reconnecting stream missed. */
    public Uni<List<Notice>> noticesAfter(String system, String environment, long afterId, int limit) {
        return pool.preparedQuery("""
                SELECT id, kind, body FROM exchange_notice WHERE system_code = $1 AND environment = $2 AND id > $3
                ORDER BY id LIMIT $4""")
                .execute(Tuple.of(system, environment, afterId, limit))
                .map(rows -> {
                    List<Notice> out = new ArrayList<>();
                    for (Row r : rows) {
                        out.add(new Notice(r.getLong("id"), system, environment, r.getString("kind"), r.getJsonObject("body")));
                    }
                    return out;
                });
    }

    private List<Envelope> all(RowSet<Row> rows) {
        List<Envelope> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(map(r));
        }
        return out;
    }

    private static Envelope map(Row r) {
        String[] formats = r.getArrayOfStrings("formats");
        String[] served = r.getArrayOfStrings("served_sha256");
        return new Envelope(r.getUUID("id"), r.getString("state"), r.getString("environment"), r.getString("service_code"),
                r.getString("service_version"), r.getString("subscription_id"), r.getString("source_system"),
                r.getString("source_agency"), r.getString("recipient_system"), r.getString("recipient_agency"),
                r.getString("title"), r.getString("importance"), r.getString("data_type"), r.getString("protocol"),
                r.getLong("max_bytes"), r.getLong("content_bytes"), r.getString("content_sha256"),
                formats == null ? List.of() : List.of(formats), served == null ? List.of() : List.of(served),
                r.getInteger("downloads"), r.getString("reason"), instant(r, "expires_at"), instant(r, "created_at"),
                instant(r, "uploaded_at"), instant(r, "accepted_at"), instant(r, "finished_at"), instant(r, "updated_at"),
                r.getInteger("row_version"));
    }
}
