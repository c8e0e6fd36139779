package vn.lgsp.common.httpsig;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Nonces seen in the last skew window, per process. Bounded: when full it first forgets expired entries
 * and then refuses new ones (a flood of fresh nonces must not grow memory without limit). Several gateway
 * replicas need a shared store behind {@link HttpSignatures.NonceStore} to catch a replay across replicas.
 */
public final class InMemoryNonceStore implements HttpSignatures.NonceStore {

    private final Map<String, Instant> seen = new ConcurrentHashMap<>();
    private final int maxEntries;
    private final Clock clock;

    public InMemoryNonceStore(int maxEntries, Clock clock) {
        this.maxEntries = maxEntries;
        this.clock = clock;
    }

    @Override
    public boolean firstUse(String keyId, String nonce, Instant forgetAfter) {
        if (seen.size() >= maxEntries) {
            Instant now = clock.instant();
            seen.values().removeIf(until -> until.isBefore(now));
            if (seen.size() >= maxEntries) {
                return false;
            }
        }
        return seen.putIfAbsent(keyId + '\u0000' + nonce, forgetAfter) == null;
    }

    public int size() {
        return seen.size();
    }
}
