package vn.lgsp.routing.limit;

import vn.lgsp.routing.snapshot.domain.Subscription;

/**
 * Per-subscription rate (token bucket: requestsPerSecond refill, burst capacity) and daily quota (reset at local
 * midnight, Asia/Ho_Chi_Minh), decided in memory; replicas share the budget through {@link ClusterBudget}.
 */
public interface RateLimiter {

    /** Takes one call from the subscription's budget, or says why not and when to come back. */
    Decision acquire(Subscription subscription);

    /**
     * @param allowed           whether the call may go on
     * @param policy            {@code RateLimit-Policy} value (draft-ietf-httpapi-ratelimit-headers)
     * @param state             {@code RateLimit} value for the exhausted policy
     * @param retryAfterSeconds when a refused call may be retried
     * @param reason            which limit refused: a sentence for the problem detail
     */
    record Decision(boolean allowed, String policy, String state, long retryAfterSeconds, String reason) {
        public static final Decision ALLOWED = new Decision(true, null, null, 0, null);
    }
}
