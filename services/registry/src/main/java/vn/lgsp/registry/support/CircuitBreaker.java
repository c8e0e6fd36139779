package vn.lgsp.registry.support;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A small consecutive-failure circuit breaker: after {@code threshold} failures in a row it opens and refuses
 * calls for {@code openFor}; then one trial call goes through (half-open) and its outcome closes or reopens it.
 * It keeps a struggling peer from being hammered and callers from waiting on timeouts they can predict.
 */
public final class CircuitBreaker {

    private final int threshold;
    private final long openForNanos;
    private final LongSupplier nanoClock;
    private int failures;
    private long openedAt;
    private boolean open;
    private boolean trialInFlight;

    public CircuitBreaker(int threshold, Duration openFor, LongSupplier nanoClock) {
        this.threshold = Math.max(1, threshold);
        this.openForNanos = openFor.toNanos();
        this.nanoClock = nanoClock;
    }

    /** True when a call may go ahead now (closed, or the one trial of a half-open breaker). */
    public synchronized boolean allow() {
        if (!open) {
            return true;
        }
        if (!trialInFlight && nanoClock.getAsLong() - openedAt >= openForNanos) {
            trialInFlight = true;
            return true;
        }
        return false;
    }

    public synchronized void success() {
        failures = 0;
        open = false;
        trialInFlight = false;
    }

    public synchronized void failure() {
        failures++;
        if (trialInFlight || failures >= threshold) {
            open = true;
            openedAt = nanoClock.getAsLong();
            trialInFlight = false;
        }
    }

    public synchronized boolean isOpen() {
        return open;
    }
}
