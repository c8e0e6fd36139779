package vn.lgsp.common.security;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import vn.lgsp.common.audit.AuditEvent;
import vn.lgsp.common.audit.AuditPublisher;

/** Authentication failures go to audit like every other record: through the publisher, never blocking. */
@DefaultBean
@ApplicationScoped
public class PublishedAuthFailures implements AuthFailureSink {

    private static final Logger LOG = Logger.getLogger(PublishedAuthFailures.class);

    @Inject
    AuditPublisher publisher;

    @Override
    public void record(AuditEvent event) {
        if (!publisher.offer(event)) {
            LOG.errorf("Audit buffer full: authentication failure (%s) on %s not queued", event.errorType(), event.path());
        }
    }
}
