package vn.lgsp.audit.event.repository;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import vn.lgsp.audit.integrity.service.AnchorService;
import vn.lgsp.audit.integrity.service.ChainHash;
import vn.lgsp.audit.stats.service.RollupWriter;
import vn.lgsp.audit.storage.service.PartitionManager;
import vn.lgsp.audit.support.AuditClock;
import vn.lgsp.audit.support.Db;
import vn.lgsp.common.audit.AuditEvent;

/**
 * Appends a batch to the log in one transaction that holds the chain head row ({@code SELECT ... FOR UPDATE}):
 * batches, even from several replicas, append strictly one after another, so the chain never forks and the
 * arrival order is the chain order. In that transaction: missing partitions are created, the previous day is
 * anchored when the day changes, rows are inserted with their chain hash (duplicates by (occurred_at, event_id)
 * are detected by the insert itself and the batch is re-chained without them), rollups are updated and the head
 * moves. Either all of it commits or none.
 */
@ApplicationScoped
public class EventWriter {

    private static final String UNIQUE_VIOLATION = "23505";

    /** The rows of a batch, in chain order; a plain insert for the common case (nothing stored before). */
    private static final String INSERT = """
            INSERT INTO audit_event (event_id, type, occurred_at, received_at, source, request_id, trace_id,
              consumer_system, consumer_agency, provider_system, provider_agency, service_code, service_version,
              environment, method, path, status, latency_ms, upstream_latency_ms, request_bytes, response_bytes,
              request_sha256, response_sha256, client_id, error_type, actor, action, resource_type, resource_id,
              agency_code, before_summary, after_summary, detail, mode, chain_day, chain_seq, hash)
            SELECT t.event_id, t.type, t.occurred_at, $34, t.source, t.request_id, t.trace_id, t.consumer_system,
              t.consumer_agency, t.provider_system, t.provider_agency, t.service_code, t.service_version, t.environment,
              t.method, t.path, t.status, t.latency_ms, t.upstream_latency_ms, t.request_bytes, t.response_bytes,
              t.request_sha256, t.response_sha256, t.client_id, t.error_type, t.actor, t.action, t.resource_type,
              t.resource_id, t.agency_code, t.before_summary::jsonb, t.after_summary::jsonb, t.detail, t.mode, $35,
              t.chain_seq, t.hash
            FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[],
              $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], $15::text[],
              $16::int[], $17::bigint[], $18::bigint[], $19::bigint[], $20::bigint[], $21::text[], $22::text[],
              $23::text[], $24::text[], $25::text[], $26::text[], $27::text[], $28::text[], $29::text[], $30::text[],
              $31::text[], $32::text[], $33::text[], $36::bigint[], $37::text[])
              WITH ORDINALITY AS t(event_id, type, occurred_at, source, request_id, trace_id, consumer_system,
                consumer_agency, provider_system, provider_agency, service_code, service_version, environment, method,
                path, status, latency_ms, upstream_latency_ms, request_bytes, response_bytes, request_sha256,
                response_sha256, client_id, error_type, actor, action, resource_type, resource_id, agency_code,
                before_summary, after_summary, detail, mode, chain_seq, hash, ord)
            ORDER BY t.ord""";

    /**
     * Only after the plain insert hit the unique key (a batch re-sent after a lost answer): the same insert
     * skipping stored events and naming the ones it inserted, so the batch can be re-chained without the others.
     */
    private static final String INSERT_NEW = INSERT + """

            ON CONFLICT (occurred_at, event_id) DO NOTHING
            RETURNING event_id, occurred_at""";

    @Inject
    Db db;

    @Inject
    AuditClock clock;

    @Inject
    PartitionManager partitions;

    @Inject
    AnchorService anchors;

    @Inject
    RollupWriter rollups;

    /** The head of the chain as locked at the start of a transaction. */
    public record Head(LocalDate day, long seq, String hash) {
    }

    /** Appends; returns the events that were new (the rest were already stored). */
    public List<AuditEvent> append(List<AuditEvent> events) {
        try {
            return append(events, true);
        } catch (SeenBefore e) {
            // A batch re-sent after a lost answer: redo the transaction, skipping what is stored.
            return append(events, false);
        }
    }

    /** The fast path found an event already stored; its transaction is rolled back (the client aborts it). */
    private static final class SeenBefore extends RuntimeException {
        SeenBefore(Throwable cause) {
            super("batch holds events stored before", cause, false, false);
        }
    }

    /**
     * {@code firstTry}: insert with a plain INSERT, which costs PostgreSQL less per row than ON CONFLICT (the unique key
     * still refuses a duplicate, and then the whole transaction is retried the slow way).
     */
    private List<AuditEvent> append(List<AuditEvent> events, boolean firstTry) {
        return db.tx(tx -> {
            Head head = lockHead(tx);
            Set<YearMonth> months = new HashSet<>();
            for (AuditEvent e : events) {
                months.add(YearMonth.from(e.occurredAt().atOffset(ZoneOffset.UTC)));
            }
            partitions.ensure(tx, months);
            Instant receivedAt = clock.nowMicros();
            Head start = rollOver(tx, head, receivedAt);
            if (firstTry && !events.isEmpty()) {
                List<String> hashes = chain(start, receivedAt, events);
                try {
                    tx.q(INSERT, args(events, receivedAt, start, hashes));
                } catch (PgException e) {
                    throw UNIQUE_VIOLATION.equals(e.getSqlState()) ? new SeenBefore(e) : e;
                }
                moveHead(tx, new Head(start.day(), start.seq() + events.size(), hashes.get(hashes.size() - 1)));
                rollups.apply(tx, events);
                return events;
            }
            List<AuditEvent> candidates = events;
            for (int attempt = 0;; attempt++) {
                tx.exec("SAVEPOINT ingest");
                List<String> hashes = chain(start, receivedAt, candidates);
                String prev = hashes.isEmpty() ? start.hash() : hashes.get(hashes.size() - 1);
                Set<String> inserted = new HashSet<>();
                for (Row r : tx.q(INSERT_NEW, args(candidates, receivedAt, start, hashes))) {
                    inserted.add(key(r.getUUID("event_id"), r.getOffsetDateTime("occurred_at").toInstant()));
                }
                if (inserted.size() == candidates.size()) {
                    if (!candidates.isEmpty()) {
                        moveHead(tx, new Head(start.day(), start.seq() + candidates.size(), prev));
                        rollups.apply(tx, candidates);
                    } else if (!start.equals(head)) {
                        moveHead(tx, start);
                    }
                    return candidates;
                }
                if (attempt >= 3) {
                    throw new IllegalStateException("The batch kept colliding with concurrent inserts");
                }
                tx.exec("ROLLBACK TO SAVEPOINT ingest");
                List<AuditEvent> fresh = new ArrayList<>();
                for (AuditEvent e : candidates) {
                    if (inserted.contains(key(e.eventId(), e.occurredAt()))) {
                        fresh.add(e);
                    }
                }
                candidates = fresh;
            }
        });
    }

    /** The chain hashes of {@code events} appended after {@code start}, in order. */
    private static List<String> chain(Head start, Instant receivedAt, List<AuditEvent> events) {
        List<String> hashes = new ArrayList<>(events.size());
        String prev = start.hash();
        for (int i = 0; i < events.size(); i++) {
            prev = ChainHash.hash(prev, start.day(), start.seq() + i + 1, receivedAt, events.get(i));
            hashes.add(prev);
        }
        return hashes;
    }

    public static Head lockHead(Db.Tx tx) {
        Row h = tx.q("SELECT chain_day, chain_seq, hash FROM audit_chain_head WHERE id = 1 FOR UPDATE").iterator().next();
        return new Head(h.getLocalDate("chain_day"), h.getLong("chain_seq"), h.getString("hash"));
    }

    public static void moveHead(Db.Tx tx, Head head) {
        tx.q("UPDATE audit_chain_head SET chain_day = $1, chain_seq = $2, hash = $3 WHERE id = 1", head.day(), head.seq(),
                head.hash());
    }

    /**
     * Where the next record goes: the head's day if it is still that day (or the clock went backwards), otherwise
     * a new day starting at its genesis hash; the day being closed is anchored first.
     */
    public Head rollOver(Db.Tx tx, Head head, Instant now) {
        LocalDate today = now.atOffset(ZoneOffset.UTC).toLocalDate();
        if (head.day() != null && !today.isAfter(head.day())) {
            return head;
        }
        if (head.day() != null) {
            anchors.anchor(tx, head.day(), head.seq(), head.hash());
        }
        return new Head(today, 0, ChainHash.genesis(today));
    }

    private static String key(UUID id, Instant occurredAt) {
        return id + "@" + occurredAt;
    }

    private static Object[] args(List<AuditEvent> es, Instant receivedAt, Head start, List<String> hashes) {
        int n = es.size();
        UUID[] ids = new UUID[n];
        String[][] s = new String[28][n];
        OffsetDateTime[] occurred = new OffsetDateTime[n];
        Integer[] status = new Integer[n];
        Long[][] l = new Long[5][n];
        for (int i = 0; i < n; i++) {
            AuditEvent e = es.get(i);
            ids[i] = e.eventId();
            occurred[i] = e.occurredAt().atOffset(ZoneOffset.UTC);
            status[i] = e.status();
            l[0][i] = e.latencyMs();
            l[1][i] = e.upstreamLatencyMs();
            l[2][i] = e.requestBytes();
            l[3][i] = e.responseBytes();
            l[4][i] = start.seq() + i + 1;
            String[] v = { e.type(), e.source(), e.requestId(), e.traceId(), e.consumerSystem(), e.consumerAgency(),
                    e.providerSystem(), e.providerAgency(), e.serviceCode(), e.serviceVersion(), e.environment(),
                    e.method(), e.path(), e.requestSha256(), e.responseSha256(), e.clientId(), e.errorType(), e.actor(),
                    e.action(), e.resourceType(), e.resourceId(), e.agencyCode(), json(e.before()), json(e.after()),
                    e.detail(), e.mode(), hashes.get(i), null };
            for (int k = 0; k < v.length; k++) {
                s[k][i] = v[k];
            }
        }
        return new Object[] { ids, s[0], occurred, s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[9], s[10], s[11],
                s[12], status, l[0], l[1], l[2], l[3], s[13], s[14], s[15], s[16], s[17], s[18], s[19], s[20], s[21],
                s[22], s[23], s[24], s[25], Db.utc(receivedAt), start.day(), l[4], s[26] };
    }

    private static String json(JsonNode node) {
        return node == null || node.isNull() ? null : node.toString();
    }
}
