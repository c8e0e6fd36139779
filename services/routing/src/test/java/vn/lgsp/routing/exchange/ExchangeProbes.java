package vn.lgsp.routing.exchange;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import vn.lgsp.common.audit.AuditEvent;
import vn.lgsp.common.audit.AuditPublisher;
import vn.lgsp.routing.exchange.service.ExchangeNotices;

/** Waits the exchange tests share: notices listening, audit records of one envelope recorded. */
final class ExchangeProbes {

    private ExchangeProbes() {
    }

    static void waitUntilListening(ExchangeNotices notices) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (!notices.listening() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(notices.listening(), "routing listens for exchange notices");
    }

    /** The audit records of one envelope, waiting until there are at least {@code atLeast}. */
    static List<AuditEvent> records(AuditPublisher publisher, String id, int atLeast) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        List<AuditEvent> found = List.of();
        while (System.currentTimeMillis() < deadline) {
            found = publisher.snapshot().stream().filter(e -> id.equals(e.resourceId())).toList();
            if (found.size() >= atLeast) {
                return found;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("only " + found.size() + " audit records for " + id);
    }
}
