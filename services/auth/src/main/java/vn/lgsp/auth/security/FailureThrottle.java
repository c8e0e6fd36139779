package vn.lgsp.auth.security;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Counts failed authentications per key (a client id, a username, a source address) in a sliding window and
 * says when a key must wait. In memory, per replica: an attacker spread over N replicas gets N times the budget,
 * which is still far too little to guess a 256-bit secret, so it guards client secrets; admin logins (human
 * passwords) are counted across replicas by {@link SharedLoginThrottle} instead.
 */
public class FailureThrottle {

    private static final int MAX_KEYS = 100_000;

    private final Map<String, Deque<Long>> failures = new ConcurrentHashMap<>();
    private final long windowMillis;
    private final LongSupplier clock;

    public FailureThrottle(Duration window, LongSupplier clock) {
        this.windowMillis = window.toMillis();
        this.clock = clock;
    }

    /** Seconds until the key may try again, or 0 when it is not blocked. */
    public long retryAfterSeconds(String key, int maxFailures) {
        Deque<Long> q = failures.get(key);
        if (q == null) {
            return 0;
        }
        synchronized (q) {
            long now = clock.getAsLong();
            prune(q, now);
            if (q.size() < maxFailures) {
                return 0;
            }
            // Blocked until enough of the oldest failures leave the window.
            long oldestThatMustExpire = q.stream().skip(q.size() - maxFailures).findFirst().orElse(now);
            return Math.max(1, (oldestThatMustExpire + windowMillis - now + 999) / 1000);
        }
    }

    public void recordFailure(String key) {
        if (failures.size() > MAX_KEYS) {
            sweep();
        }
        Deque<Long> q = failures.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (q) {
            long now = clock.getAsLong();
            prune(q, now);
            q.addLast(now);
            // Never keep more than needed to decide: bounded memory per key under attack.
            while (q.size() > 1000) {
                q.removeFirst();
            }
        }
    }

    /** A success clears the key's failures (used for client ids and usernames, never for addresses). */
    public void reset(String key) {
        failures.remove(key);
    }

    private void prune(Deque<Long> q, long now) {
        while (!q.isEmpty() && q.peekFirst() <= now - windowMillis) {
            q.removeFirst();
        }
    }

    private void sweep() {
        long now = clock.getAsLong();
        for (Iterator<Map.Entry<String, Deque<Long>>> it = failures.entrySet().iterator(); it.hasNext();) {
            Deque<Long> q = it.next().getValue();
            synchronized (q) {
                prune(q, now);
                if (q.isEmpty()) {
                    it.remove();
                }
            }
        }
    }
}
