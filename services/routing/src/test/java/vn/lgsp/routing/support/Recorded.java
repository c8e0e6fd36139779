package vn.lgsp.routing.support;

import java.util.List;
import vn.lgsp.common.audit.AuditEvent;
import vn.lgsp.common.audit.AuditPublisher;

/** The audit record routing kept for a call, found by its request id. */
public final class Recorded {

    private Recorded() {
    }

    /**
     * The call's transaction record (not an auth_failure record of the same request), waiting up to 2 s: the
     * record step runs after the answer has gone to the caller.
     */
    public static AuditEvent byRequestId(AuditPublisher publisher, String requestId) throws InterruptedException {
        return transaction(publisher, requestId);
    }

    /** The auth_failure records of one request id, waiting up to 5 s until there are at least {@code atLeast}. */
    public static List<AuditEvent> authFailures(AuditPublisher publisher, String requestId, int atLeast)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (true) {
            List<AuditEvent> found = publisher.snapshot().stream()
                    .filter(e -> AuditEvent.AUTH_FAILURE.equals(e.type()) && requestId.equals(e.requestId())).toList();
            if (found.size() >= atLeast || System.currentTimeMillis() > deadline) {
                return found;
            }
            Thread.sleep(50);
        }
    }

    /** The transaction record of one call, waiting up to 2 s (it is made after the answer went out). */
    public static AuditEvent transaction(AuditPublisher publisher, String requestId) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 2000;
        while (System.currentTimeMillis() < deadline) {
            for (AuditEvent e : publisher.snapshot()) {
                if (AuditEvent.TRANSACTION.equals(e.type()) && requestId.equals(e.requestId())) {
                    return e;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no transaction record for " + requestId);
    }
}
