package vn.lgsp.common.net;

import java.util.function.LongSupplier;

/**
 * One peer's breaker (routing: one per provider upstream; registry: catalog): closed while calls succeed; after
 * {@code threshold} consecutive failures it opens and refuses calls for {@code openMillis}; then one probe call is
 * let through (half-open) whose outcome closes or re-opens it. The caller says what a failure is (routing: only the
 * transport, any provider answer is a success; registry: no answer or a 5xx). A probe that ends with no outcome
 * (its caller left, its connection was closed under it) must not hold the circuit half-open for good: after
 * {@link #PROBE_LEASE_MILLIS} another call may probe. {@code clock} counts milliseconds.
 */
public final class CircuitBreaker {

    public enum State { CLOSED, OPEN, HALF_OPEN }

    /** Longer than any call may wait for a peer (a gateway call's timeout is at most 30 s, REQUIREMENTS X2). */
    public static final long PROBE_LEASE_MILLIS = 31_000;

    private final int threshold;
    private final long openMillis;
    private final LongSupplier clock;
    // Volatile so the common case — closed, no failures — is answered on every call without taking the lock,
    // which the event loops would otherwise contend for on each call to the same upstream.
    private volatile State state = State.CLOSED;
    private volatile int failures;
    private long openedAt;
    private boolean probeInFlight;
    private long probeStartedAt;

    public CircuitBreaker(int threshold, long openMillis, LongSupplier clock) {
        this.threshold = Math.max(1, threshold);
        this.openMillis = openMillis;
        this.clock = clock;
    }

    /** Whether a call may go to the upstream now; a true answer in half-open state is the probe. */
    public boolean tryAcquire() {
        return state == State.CLOSED || tryAcquireSlow();
    }

    private synchronized boolean tryAcquireSlow() {
        if (state == State.CLOSED) {
            return true;
        }
        if (state == State.OPEN && clock.getAsLong() - openedAt >= openMillis) {
            state = State.HALF_OPEN;
            probeInFlight = false;
        }
        long now = clock.getAsLong();
        if (state == State.HALF_OPEN && (!probeInFlight || now - probeStartedAt >= PROBE_LEASE_MILLIS)) {
            probeInFlight = true;
            probeStartedAt = now;
            return true;
        }
        return false;
    }

    public void onSuccess() {
        if (state == State.CLOSED && failures == 0) {
            return; // nothing to reset
        }
        reset();
    }

    private synchronized void reset() {
        failures = 0;
        state = State.CLOSED;
        probeInFlight = false;
    }

    public synchronized void onFailure() {
        failures++;
        if (state == State.HALF_OPEN || failures >= threshold) {
            state = State.OPEN;
            openedAt = clock.getAsLong();
            probeInFlight = false;
        }
    }

    /** Seconds until a probe will be allowed (for Retry-After); at least 1. */
    public synchronized long retryAfterSeconds() {
        long left = openMillis - (clock.getAsLong() - openedAt);
        return Math.max(1, (left + 999) / 1000);
    }

    public synchronized State state() {
        if (state == State.OPEN && clock.getAsLong() - openedAt >= openMillis) {
            return State.HALF_OPEN;
        }
        return state;
    }

    public synchronized int consecutiveFailures() {
        return failures;
    }
}
