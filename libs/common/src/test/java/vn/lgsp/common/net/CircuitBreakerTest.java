package vn.lgsp.common.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The breaker's states with a clock the test moves: closed → open → one half-open probe → closed or open again. */
class CircuitBreakerTest {

    private final AtomicLong now = new AtomicLong(0);
    private final CircuitBreaker breaker = new CircuitBreaker(3, 10_000, now::get);

    @Test
    void opensAfterConsecutiveFailuresAndProbesOnceAfterTheOpenPeriod() {
        breaker.onFailure();
        breaker.onFailure();
        breaker.onSuccess(); // not consecutive any more
        breaker.onFailure();
        breaker.onFailure();
        assertTrue(breaker.tryAcquire());
        breaker.onFailure();
        assertEquals(CircuitBreaker.State.OPEN, breaker.state());
        assertFalse(breaker.tryAcquire());
        assertEquals(10, breaker.retryAfterSeconds());

        now.addAndGet(9_999);
        assertFalse(breaker.tryAcquire(), "still inside the open period");
        now.addAndGet(1);
        assertTrue(breaker.tryAcquire(), "one probe after the open period");
        assertFalse(breaker.tryAcquire(), "only one probe at a time");
        breaker.onFailure();
        assertEquals(CircuitBreaker.State.OPEN, breaker.state(), "a failed probe re-opens");

        now.addAndGet(10_000);
        assertTrue(breaker.tryAcquire());
        breaker.onSuccess();
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
        assertTrue(breaker.tryAcquire());
    }

    @Test
    void aProbeThatEndsWithoutAnOutcomeDoesNotHoldTheCircuitHalfOpenForGood() {
        for (int i = 0; i < 3; i++) {
            breaker.onFailure();
        }
        now.addAndGet(10_000);
        assertTrue(breaker.tryAcquire(), "the probe");
        // its caller left, or its connection was closed under it: neither onSuccess nor onFailure
        now.addAndGet(CircuitBreaker.PROBE_LEASE_MILLIS - 1);
        assertFalse(breaker.tryAcquire(), "the probe may still be waiting for its answer");
        now.addAndGet(1);
        assertTrue(breaker.tryAcquire(), "past any call's timeout another call probes");
        assertFalse(breaker.tryAcquire(), "still one at a time");
        breaker.onSuccess();
        assertEquals(CircuitBreaker.State.CLOSED, breaker.state());
    }
}
