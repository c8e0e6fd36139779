package vn.lgsp.common.security;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicLong;
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

    /** Records not queued: a flood of refused credentials while audit is behind must not flood the log as well. */
    private final AtomicLong lost = new AtomicLong();

    @Override
    public void record(AuditEvent event) {
        if (!publisher.offer(event)) {
            long n = lost.incrementAndGet();
            if (n == 1 || n % 1000 == 0) {
                LOG.errorf("Audit buffer full: %d authentication failure records not queued (latest %s on %s)", n,
                        event.errorType(), event.path());
            }
        }
    }
}
