package vn.lgsp.common.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import vn.lgsp.common.security.Caller;
import vn.lgsp.common.web.RequestIds;

/** Records an admin change (who, what, before/after) in the audit log, the same way in every service. */
@ApplicationScoped
public class AdminAudit {

    private static final Logger LOG = Logger.getLogger(AdminAudit.class);

    @Inject
    AuditPublisher publisher;

    @Inject
    ObjectMapper mapper;

    @ConfigProperty(name = "quarkus.application.name")
    String source;

    public void record(Caller caller, String action, String resourceType, String resourceId, String agencyCode,
            Object before, Object after) {
        record(caller.actor(), action, resourceType, resourceId, agencyCode, before, after);
    }

    public void record(String actor, String action, String resourceType, String resourceId, String agencyCode,
            Object before, Object after) {
        Object requestId = MDC.get(RequestIds.MDC_KEY);
        AuditEvent event = AuditEvent.adminAction(source, requestId == null ? null : requestId.toString(), actor, action,
                resourceType, resourceId, agencyCode, summary(before), summary(after));
        if (!publisher.offer(event)) {
            LOG.errorf("Audit buffer full: admin action %s on %s %s by %s not queued", action, resourceType, resourceId, actor);
        }
    }

    private JsonNode summary(Object value) {
        return value == null ? null : mapper.valueToTree(value);
    }
}
