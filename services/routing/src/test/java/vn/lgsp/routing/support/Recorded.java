package vn.lgsp.routing.support;

import vn.lgsp.common.audit.AuditEvent;
import vn.lgsp.common.audit.AuditPublisher;

/** The audit record routing kept for a call, found by its request id. */
public final class Recorded {

    private Recorded() {
    }

    /** Waits up to 2 s: the record step runs after the answer has gone to the caller. */
    public static AuditEvent byRequestId(AuditPublisher publisher, String requestId) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 2000;
        while (System.currentTimeMillis() < deadline) {
            for (AuditEvent e : publisher.snapshot()) {
                if (requestId.equals(e.requestId())) {
                    return e;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no audit event for " + requestId);
    }
}
