package vn.lgsp.audit.event.repository;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import vn.lgsp.common.audit.AuditEvent;

/**
 * The audit log table, through the reactive SQL client: ingest is a pipelined batch insert (the gateway's
 * rate is the bar), and queries are keyset-paginated on the arrival sequence so deep pages stay cheap.
 */
@ApplicationScoped
public class EventRepository {

    private static final String INSERT = """
            INSERT INTO audit_event (event_id, type, occurred_at, source, request_id, trace_id,
              consumer_system, consumer_agency, provider_system, provider_agency, service_code, service_version,
              environment, method, path, status, latency_ms, upstream_latency_ms, request_bytes, response_bytes,
              request_sha256, response_sha256, client_id, error_type, actor, action, resource_type, resource_id,
              agency_code, before_summary, after_summary, detail)
            VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,$24,$25,$26,
              $27,$28,$29,$30,$31,$32)
            ON CONFLICT (event_id) DO NOTHING""";

    private static final String COLUMNS = """
            seq, event_id, type, occurred_at, received_at, source, request_id, trace_id, consumer_system,
            consumer_agency, provider_system, provider_agency, service_code, service_version, environment, method,
            path, status, latency_ms, upstream_latency_ms, request_bytes, response_bytes, request_sha256,
            response_sha256, client_id, error_type, actor, action, resource_type, resource_id, agency_code,
            before_summary, after_summary, detail""";

    @Inject
    Pool pool;

    @Inject
    ObjectMapper mapper;

    /** Inserts the batch in one transaction; returns how many were new (the rest were duplicates). */
    public Uni<Integer> insertAll(List<AuditEvent> events) {
        List<Tuple> rows = new ArrayList<>(events.size());
        for (AuditEvent e : events) {
            rows.add(Tuple.from(new Object[] { e.eventId(), e.type(), utc(e.occurredAt()), e.source(), e.requestId(),
                    e.traceId(), e.consumerSystem(), e.consumerAgency(), e.providerSystem(), e.providerAgency(),
                    e.serviceCode(), e.serviceVersion(), e.environment(), e.method(), e.path(), e.status(), e.latencyMs(),
                    e.upstreamLatencyMs(), e.requestBytes(), e.responseBytes(), e.requestSha256(), e.responseSha256(),
                    e.clientId(), e.errorType(), e.actor(), e.action(), e.resourceType(), e.resourceId(),
                    e.agencyCode(), json(e.before()), json(e.after()), e.detail() }));
        }
        return pool.withTransaction(conn -> conn.preparedQuery(INSERT).executeBatch(rows)).map(EventRepository::countRows);
    }

    /** Newest first; {@code beforeSeq} is the keyset cursor (exclusive). */
    public Uni<List<StoredEvent>> find(EventQuery q, Long beforeSeq, int limit) {
        StringBuilder sql = new StringBuilder("SELECT ").append(COLUMNS).append(" FROM audit_event WHERE occurred_at >= $1 AND occurred_at < $2");
        List<Object> args = new ArrayList<>();
        args.add(utc(q.from()));
        args.add(utc(q.to()));
        eq(sql, args, "type", q.type());
        eq(sql, args, "consumer_system", q.consumerSystem());
        eq(sql, args, "consumer_agency", q.consumerAgency());
        eq(sql, args, "provider_system", q.providerSystem());
        eq(sql, args, "provider_agency", q.providerAgency());
        eq(sql, args, "service_code", q.serviceCode());
        eq(sql, args, "service_version", q.serviceVersion());
        eq(sql, args, "status", q.status());
        eq(sql, args, "request_id", q.requestId());
        eq(sql, args, "trace_id", q.traceId());
        if (q.visibleToAgency() != null) {
            args.add(q.visibleToAgency());
            int n = args.size();
            sql.append(" AND (consumer_agency = $").append(n).append(" OR provider_agency = $").append(n)
                    .append(" OR agency_code = $").append(n).append(')');
        }
        if (beforeSeq != null) {
            args.add(beforeSeq);
            sql.append(" AND seq < $").append(args.size());
        }
        args.add(limit);
        sql.append(" ORDER BY seq DESC LIMIT $").append(args.size());
        return pool.preparedQuery(sql.toString()).execute(Tuple.from(args)).map(rows -> {
            List<StoredEvent> out = new ArrayList<>();
            for (Row row : rows) {
                out.add(toStored(row));
            }
            return out;
        });
    }

    private static void eq(StringBuilder sql, List<Object> args, String column, Object value) {
        if (value != null) {
            args.add(value);
            sql.append(" AND ").append(column).append(" = $").append(args.size());
        }
    }

    private StoredEvent toStored(Row r) {
        AuditEvent e = new AuditEvent(r.getUUID("event_id"), r.getString("type"), instant(r, "occurred_at"),
                r.getString("source"), r.getString("request_id"), r.getString("trace_id"), r.getString("consumer_system"),
                r.getString("consumer_agency"), r.getString("provider_system"), r.getString("provider_agency"),
                r.getString("service_code"), r.getString("service_version"), r.getString("environment"),
                r.getString("method"), r.getString("path"), r.getInteger("status"), r.getLong("latency_ms"),
                r.getLong("upstream_latency_ms"), r.getLong("request_bytes"), r.getLong("response_bytes"),
                r.getString("request_sha256"), r.getString("response_sha256"), r.getString("client_id"),
                r.getString("error_type"), r.getString("actor"), r.getString("action"), r.getString("resource_type"),
                r.getString("resource_id"), r.getString("agency_code"), node(r.getValue("before_summary")),
                node(r.getValue("after_summary")), r.getString("detail"));
        return new StoredEvent(r.getLong("seq"), instant(r, "received_at"), e);
    }

    private JsonNode node(Object value) {
        if (value == null) {
            return null;
        }
        Object plain = value instanceof JsonObject jo ? jo.getMap()
                : value instanceof io.vertx.core.json.JsonArray ja ? ja.getList() : value;
        return mapper.valueToTree(plain);
    }

    /** The summary as the PostgreSQL client's JSON value (object, array or scalar). */
    private static Object json(JsonNode node) {
        return node == null || node.isNull() ? null : io.vertx.core.json.Json.decodeValue(node.toString());
    }

    private static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime utc(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }

    private static int countRows(RowSet<Row> rs) {
        int total = 0;
        for (RowSet<Row> cur = rs; cur != null; cur = cur.next()) {
            total += cur.rowCount();
        }
        return total;
    }

    /** A stored event with its arrival sequence and time. */
    public record StoredEvent(long seq, Instant receivedAt, AuditEvent event) {
    }

    /** Filters of a query; null means "any". */
    public record EventQuery(Instant from, Instant to, String type, String consumerSystem, String consumerAgency,
            String providerSystem, String providerAgency, String serviceCode, String serviceVersion, Integer status,
            String requestId, String traceId, String visibleToAgency) {
    }
}
