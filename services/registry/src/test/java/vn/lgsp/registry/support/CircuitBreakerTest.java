package vn.lgsp.registry.support;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The breaker's states with a clock the test moves: closed → open → one half-open trial → closed or open again. */
class CircuitBreakerTest {

    private final AtomicLong now = new AtomicLong();
    private final CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofSeconds(30), now::get);

    @Test
    void opensAfterConsecutiveFailuresOnly() {
        breaker.failure();
        breaker.failure();
        breaker.success(); // a success in between resets the count
        breaker.failure();
        breaker.failure();
        assertTrue(breaker.allow(), "two failures in a row: still closed");
        breaker.failure();
        assertFalse(breaker.allow(), "three in a row: open, calls fail fast");
    }

    @Test
    void afterTheOpenPeriodOneTrialDecides() {
        for (int i = 0; i < 3; i++) {
            breaker.failure();
        }
        now.addAndGet(Duration.ofSeconds(29).toNanos());
        assertFalse(breaker.allow(), "still inside the open period");
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertTrue(breaker.allow(), "the trial call");
        assertFalse(breaker.allow(), "only one trial at a time");
        breaker.failure();
        assertFalse(breaker.allow(), "a failed trial reopens at once");
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        assertTrue(breaker.allow());
        breaker.success();
        assertTrue(breaker.allow(), "a successful trial closes it");
        assertTrue(breaker.allow());
    }
}
