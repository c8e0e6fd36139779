package vn.lgsp.routing.gateway;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicInteger;
import vn.lgsp.common.audit.AuditPublisher;
import vn.lgsp.common.client.PlatformConfig;
import vn.lgsp.routing.config.RoutingConfig;

/**
 * Admits a call only if its audit record is sure to fit in the publisher's buffer: events already waiting plus
 * calls in flight (each will offer one) must stay below the buffer size. So when audit is down long enough,
 * the gateway refuses new calls instead of serving calls it could not log (issue 7).
 */
@ApplicationScoped
public class AuditGate {

    @Inject
    AuditPublisher publisher;

    @Inject
    PlatformConfig platform;

    @Inject
    RoutingConfig config;

    private final AtomicInteger inFlight = new AtomicInteger();

    /** True if the call may proceed; every admitted call must be {@link #release}d once recorded. */
    public boolean admit() {
        int now = inFlight.incrementAndGet();
        if (!config.refuseWhenAuditUnavailable()) {
            return true;
        }
        if (publisher.pending() + now > platform.audit().bufferSize()) {
            inFlight.decrementAndGet();
            return false;
        }
        return true;
    }

    public void release() {
        inFlight.decrementAndGet();
    }

    public int inFlight() {
        return inFlight.get();
    }
}
