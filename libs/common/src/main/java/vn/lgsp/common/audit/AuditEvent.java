package vn.lgsp.common.audit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * One record for the audit log, as every service sends it to audit's batch ingest.
 * Transactions carry who called what and how it went, never the payload (REQUIREMENTS X3, M2);
 * admin actions carry the actor and a before/after summary.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AuditEvent(
        UUID eventId,
        String type,
        Instant occurredAt,
        String source,
        String requestId,
        String traceId,
        // transaction
        String consumerSystem,
        String consumerAgency,
        String providerSystem,
        String providerAgency,
        String serviceCode,
        String serviceVersion,
        String environment,
        String method,
        String path,
        Integer status,
        Long latencyMs,
        Long upstreamLatencyMs,
        Long requestBytes,
        Long responseBytes,
        String requestSha256,
        String responseSha256,
        String clientId,
        String errorType,
        // admin action
        String actor,
        String action,
        String resourceType,
        String resourceId,
        String agencyCode,
        JsonNode before,
        JsonNode after,
        String detail,
        // "sync" or "async" exchange; absent means sync. Last, so older senders' JSON stays valid.
        String mode) {

    /** The argument list before {@code mode} existed, so every existing caller still compiles (mode absent = sync). */
    public AuditEvent(UUID eventId, String type, Instant occurredAt, String source, String requestId, String traceId,
            String consumerSystem, String consumerAgency, String providerSystem, String providerAgency,
            String serviceCode, String serviceVersion, String environment, String method, String path, Integer status,
            Long latencyMs, Long upstreamLatencyMs, Long requestBytes, Long responseBytes, String requestSha256,
            String responseSha256, String clientId, String errorType, String actor, String action, String resourceType,
            String resourceId, String agencyCode, JsonNode before, JsonNode after, String detail) {
        this(eventId, type, occurredAt, source, requestId, traceId, consumerSystem, consumerAgency, providerSystem,
                providerAgency, serviceCode, serviceVersion, environment, method, path, status, latencyMs,
                upstreamLatencyMs, requestBytes, responseBytes, requestSha256, responseSha256, clientId, errorType, actor,
                action, resourceType, resourceId, agencyCode, before, after, detail, null);
    }

    public static final String TRANSACTION = "transaction";
    public static final String ADMIN_ACTION = "admin_action";
    public static final String AUTH_FAILURE = "auth_failure";
    public static final String ALERT = "alert";
    public static final String MODE_SYNC = "sync";
    public static final String MODE_ASYNC = "async";

    /** An admin change: who did what to which resource, with a before/after summary. */
    public static AuditEvent adminAction(String source, String requestId, String actor, String action,
            String resourceType, String resourceId, String agencyCode, JsonNode before, JsonNode after) {
        return new AuditEvent(UUID.randomUUID(), ADMIN_ACTION, Instant.now(), source, requestId, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, actor, action, resourceType, resourceId, agencyCode, before, after, null);
    }
}
