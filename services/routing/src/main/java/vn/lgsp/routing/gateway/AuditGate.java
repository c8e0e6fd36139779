package vn.lgsp.routing.gateway;

import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicInteger;
import vn.lgsp.common.audit.AuditEvent;
import vn.lgsp.common.audit.AuditPublisher;
import vn.lgsp.routing.config.RoutingConfig;

/**
 * Admits a call only if its audit record is sure to be accepted: the calls in flight (each will offer one record)
 * must fit in the publisher's {@link AuditPublisher#room() room}. With the disk spool that room is the free part
 * of the in-memory hand-off, and none once the spool holds its max-bytes; memory only, it is the buffer size less
 * the events waiting. So when audit is down (or behind) long enough to fill it, the gateway refuses new calls
 * instead of serving calls it could not log (issue 7). Runs on every call: two atomic reads and an increment.
 */
@Singleton
public class AuditGate {

    @Inject
    AuditPublisher publisher;

    @Inject
    RoutingConfig config;

    private final AtomicInteger inFlight = new AtomicInteger();

    /** True if the call may proceed; every admitted call must be {@link #release}d once recorded. */
    public boolean admit() {
        int now = inFlight.incrementAndGet();
        if (!config.refuseWhenAuditUnavailable()) {
            return true;
        }
        if (now > publisher.room()) {
            inFlight.decrementAndGet();
            return false;
        }
        return true;
    }

    /**
     * Hands an admitted call's record to the publisher. Its place was counted at admission, so a spool that has
     * reached max-bytes since (other calls' records) does not refuse it: a served call is always recorded.
     */
    public boolean record(AuditEvent event) {
        return config.refuseWhenAuditUnavailable() ? publisher.offerAdmitted(event) : publisher.offer(event);
    }

    /**
     * Whether a record beyond the admitted calls' own (an auth_failure alongside a refused call's transaction) fits
     * without taking the room their records were admitted against.
     */
    public boolean roomBeyondAdmitted() {
        return !config.refuseWhenAuditUnavailable() || publisher.room() > inFlight.get();
    }

    public void release() {
        inFlight.decrementAndGet();
    }

    public int inFlight() {
        return inFlight.get();
    }
}
