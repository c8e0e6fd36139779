package vn.lgsp.audit.support;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import vn.lgsp.audit.event.service.EventService;
import vn.lgsp.common.audit.AuditEvent;
import vn.lgsp.common.security.AuthFailureSink;

/**
 * Credentials refused on audit's own API go straight into its own log (audit is the publisher's sink, as for
 * {@link AdminLog}), but off the event loop that refused them: one writer thread and a bounded queue, so a flood of
 * bad tokens costs bounded memory; beyond it a record is dropped with an error log line.
 */
@ApplicationScoped
public class AuthFailureLog implements AuthFailureSink {

    private static final Logger LOG = Logger.getLogger(AuthFailureLog.class);

    @Inject
    EventService events;

    private ThreadPoolExecutor writer;

    @PostConstruct
    void init() {
        writer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(1000), r -> {
            Thread t = new Thread(r, "lgsp-audit-auth-failures");
            t.setDaemon(true);
            return t;
        }, (r, pool) -> LOG.errorf("Too many authentication failures waiting to be written: one dropped"));
    }

    void stop(@Observes ShutdownEvent ev) {
        writer.shutdown();
    }

    @Override
    public void record(AuditEvent event) {
        writer.execute(() -> {
            try {
                events.ingest(List.of(event));
            } catch (RuntimeException e) {
                LOG.errorf("Authentication failure (%s on %s) not written: %s", event.errorType(), event.path(),
                        e.getMessage());
            }
        });
    }
}
