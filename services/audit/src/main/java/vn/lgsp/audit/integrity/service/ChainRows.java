package vn.lgsp.audit.integrity.service;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.mutiny.sqlclient.Row;
import vn.lgsp.audit.support.Db;
import vn.lgsp.common.audit.AuditEvent;

/** Reads stored rows back into the exact values that were hashed (summaries from their jsonb text). */
public final class ChainRows {

    public static final String COLUMNS = """
            event_id, type, occurred_at, received_at, source, request_id, trace_id, consumer_system, consumer_agency,
            provider_system, provider_agency, service_code, service_version, environment, method, path, status,
            latency_ms, upstream_latency_ms, request_bytes, response_bytes, request_sha256, response_sha256, client_id,
            error_type, actor, action, resource_type, resource_id, agency_code, before_summary::text AS before_text,
            after_summary::text AS after_text, detail, mode, chain_day, chain_seq, hash""";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private ChainRows() {
    }

    public static AuditEvent event(Row r) {
        return event(r, tree(r.getString("before_text")), tree(r.getString("after_text")));
    }

    /** A stored row as the event it was ingested as; before/after come from whichever column form was selected. */
    public static AuditEvent event(Row r, JsonNode before, JsonNode after) {
        return new AuditEvent(r.getUUID("event_id"), r.getString("type"), Db.instant(r, "occurred_at"),
                r.getString("source"), r.getString("request_id"), r.getString("trace_id"), r.getString("consumer_system"),
                r.getString("consumer_agency"), r.getString("provider_system"), r.getString("provider_agency"),
                r.getString("service_code"), r.getString("service_version"), r.getString("environment"),
                r.getString("method"), r.getString("path"), r.getInteger("status"), r.getLong("latency_ms"),
                r.getLong("upstream_latency_ms"), r.getLong("request_bytes"), r.getLong("response_bytes"),
                r.getString("request_sha256"), r.getString("response_sha256"), r.getString("client_id"),
                r.getString("error_type"), r.getString("actor"), r.getString("action"), r.getString("resource_type"),
                r.getString("resource_id"), r.getString("agency_code"), before, after, r.getString("detail"),
                r.getString("mode"));
    }

    private static JsonNode tree(String text) {
        if (text == null) {
            return null;
        }
        try {
            return MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable summary", e);
        }
    }
}
