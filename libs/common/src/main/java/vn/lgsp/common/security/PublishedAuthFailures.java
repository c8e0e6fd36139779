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
    private static final long LOG_EVERY_NANOS = 60_000_000_000L;

    @Inject
    AuditPublisher publisher;

    /**
     * Records not queued since the last log line, and when that was: a flood of refused credentials while audit is
     * behind must not flood the log as well, yet every outage is seen (at most one line a minute).
     */
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong loggedAt = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

    @Override
    public void record(AuditEvent event) {
        if (!publisher.offer(event)) {
            lost.incrementAndGet();
            long now = System.nanoTime();
            long last = loggedAt.get();
            if (now - last >= LOG_EVERY_NANOS && loggedAt.compareAndSet(last, now)) {
                LOG.errorf("Audit buffer full: %d authentication failure records not queued (latest %s on %s)",
                        lost.getAndSet(0), event.errorType(), event.path());
            }
        }
    }
}
