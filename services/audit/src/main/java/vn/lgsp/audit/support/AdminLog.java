package vn.lgsp.audit.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.jboss.logging.MDC;
import vn.lgsp.audit.event.service.EventService;
import vn.lgsp.common.audit.AuditEvent;
import vn.lgsp.common.web.RequestIds;
import vn.lgsp.common.text.Texts;

/**
 * Admin actions on audit itself (legal holds, alert rules, acknowledgements, partition drops). audit is the sink of
 * the shared AuditPublisher, so it writes these straight into its own chained log, synchronously: an action whose
 * record cannot be written fails instead of going unrecorded.
 */
@ApplicationScoped
public class AdminLog {

    @Inject
    EventService events;

    @Inject
    ObjectMapper mapper;

    public void record(String actor, String action, String resourceType, String resourceId, String agencyCode,
            Object before, Object after) {
        Object requestId = MDC.get(RequestIds.MDC_KEY);
        String rid = requestId == null ? null : requestId.toString();
        AuditEvent e = new AuditEvent(UUID.randomUUID(), AuditEvent.ADMIN_ACTION, Instant.now().truncatedTo(ChronoUnit.MICROS),
                "audit", rid == null || rid.length() > 64 ? null : rid, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null, null, null, null, null, Texts.clip(actor, 128), action,
                resourceType, Texts.clip(resourceId, 128), agencyCode, tree(before), tree(after), null, null);
        events.ingest(List.of(e));
    }

    private JsonNode tree(Object value) {
        return value == null ? null : mapper.valueToTree(value);
    }

}
