package vn.lgsp.audit.event.repository;

import static vn.lgsp.common.db.Timestamps.instant;
import static vn.lgsp.common.db.Timestamps.utc;

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
import java.util.ArrayList;
import java.util.List;
import vn.lgsp.common.audit.AuditEvent;

/**
 * Reading the audit log through the reactive SQL client: queries are keyset-paginated on the arrival sequence
 * so deep pages stay cheap (writing is {@link EventWriter}).
 */
@ApplicationScoped
public class EventRepository {

    private static final String COLUMNS = """
            seq, event_id, type, occurred_at, received_at, source, request_id, trace_id, consumer_system,
            consumer_agency, provider_system, provider_agency, service_code, service_version, environment, method,
            path, status, latency_ms, upstream_latency_ms, request_bytes, response_bytes, request_sha256,
            response_sha256, client_id, error_type, actor, action, resource_type, resource_id, agency_code,
            before_summary, after_summary, detail, mode""";

    @Inject
    Pool pool;

    @Inject
    ObjectMapper mapper;

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
        AuditEvent e = vn.lgsp.audit.integrity.service.ChainRows.event(r, node(r.getValue("before_summary")),
                node(r.getValue("after_summary")));
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



    /** A stored event with its arrival sequence and time. */
    public record StoredEvent(long seq, Instant receivedAt, AuditEvent event) {
    }

    /** Filters of a query; null means "any". */
    public record EventQuery(Instant from, Instant to, String type, String consumerSystem, String consumerAgency,
            String providerSystem, String providerAgency, String serviceCode, String serviceVersion, Integer status,
            String requestId, String traceId, String visibleToAgency) {
    }
}
