package vn.lgsp.auth.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The sliding window on its own, with a hand-driven clock (per-address limits are too high to hit in the app tests). */
class FailureThrottleTest {

    @Test
    void blocksAtTheLimitAndReleasesAsFailuresLeaveTheWindow() {
        AtomicLong now = new AtomicLong(1_000_000);
        FailureThrottle throttle = new FailureThrottle(Duration.ofMinutes(5), now::get);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, throttle.retryAfterSeconds("a:10.0.0.1", 3));
            throttle.recordFailure("a:10.0.0.1");
            now.addAndGet(60_000);
        }
        long wait = throttle.retryAfterSeconds("a:10.0.0.1", 3);
        assertEquals(120, wait); // the first failure leaves the 5-minute window 2 minutes from now
        assertEquals(0, throttle.retryAfterSeconds("a:10.0.0.2", 3), "other keys are unaffected");
        now.addAndGet(wait * 1000);
        assertEquals(0, throttle.retryAfterSeconds("a:10.0.0.1", 3));
        throttle.recordFailure("a:10.0.0.1");
        assertTrue(throttle.retryAfterSeconds("a:10.0.0.1", 3) > 0);
        throttle.reset("a:10.0.0.1");
        assertEquals(0, throttle.retryAfterSeconds("a:10.0.0.1", 3));
    }
}
