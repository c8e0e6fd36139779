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
        String detail) {

    public static final String TRANSACTION = "transaction";
    public static final String ADMIN_ACTION = "admin_action";
    public static final String AUTH_FAILURE = "auth_failure";
    public static final String ALERT = "alert";

    /** An admin change: who did what to which resource, with a before/after summary. */
    public static AuditEvent adminAction(String source, String requestId, String actor, String action,
            String resourceType, String resourceId, String agencyCode, JsonNode before, JsonNode after) {
        return new AuditEvent(UUID.randomUUID(), ADMIN_ACTION, Instant.now(), source, requestId, null,
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, actor, action, resourceType, resourceId, agencyCode, before, after, null);
    }
}
