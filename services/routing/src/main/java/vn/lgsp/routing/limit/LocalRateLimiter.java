package vn.lgsp.routing.limit;

import jakarta.inject.Singleton;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import vn.lgsp.common.time.ProvinceCalendar;
import vn.lgsp.routing.snapshot.domain.Subscription;

/**
 * {@link RateLimiter} in this replica's memory: one small locked bucket per subscription, no allocation per call.
 * With several replicas, {@link ClusterBudget} tells it how many replicas share the budget (the rate and burst are
 * split evenly) and how many calls the other replicas let through today (counted against the daily quota).
 */
@Singleton
public class LocalRateLimiter implements RateLimiter {


    private final ConcurrentHashMap<Subscription.Key, Bucket> buckets = new ConcurrentHashMap<>();
    private final LongSupplier nanos;
    private final LongSupplier millis;
    private volatile int replicas = 1;

    public LocalRateLimiter() {
        this(System::nanoTime, System::currentTimeMillis);
    }

    /** For tests: a controllable clock. */
    public LocalRateLimiter(LongSupplier nanos, LongSupplier millis) {
        this.nanos = nanos;
        this.millis = millis;
    }

    @Override
    public Decision acquire(Subscription s) {
        boolean rateLimited = s.requestsPerSecond() != null && s.requestsPerSecond() > 0;
        boolean quotaLimited = s.dailyQuota() != null && s.dailyQuota() > 0;
        if (!rateLimited && !quotaLimited) {
            return Decision.ALLOWED;
        }
        Bucket bucket = buckets.computeIfAbsent(s.key(), k -> new Bucket());
        return bucket.take(s, rateLimited, quotaLimited, nanos.getAsLong(), millis.getAsLong());
    }

    /** Forget all budgets (tests). */
    public void reset() {
        buckets.clear();
    }

    /** Replicas sharing each subscription's rate: each allows its share (at least a fraction of one call a second). */
    public void replicas(int n) {
        this.replicas = Math.max(1, n);
    }

    public int replicas() {
        return replicas;
    }

    /** The day quotas are counted in (days since the epoch, Asia/Ho_Chi_Minh). */
    public long today() {
        return ProvinceCalendar.epochDay(millis.getAsLong());
    }

    /** Calls this replica let through today, per subscription id with a daily quota (for {@link ClusterBudget}). */
    public java.util.Map<String, Long> usedToday() {
        long today = today();
        java.util.Map<String, Long> used = new java.util.HashMap<>();
        buckets.values().forEach(b -> b.usedOn(today, used));
        return used;
    }

    /** Calls the other replicas let through today, per subscription id (from {@link ClusterBudget}). */
    public void othersToday(long day, java.util.Map<String, Long> others) {
        buckets.values().forEach(b -> b.others(day, others));
    }
    private final class Bucket {
        private String subscriptionId;
        private long othersDay = Long.MIN_VALUE;
        private long othersToday;
        private double tokens = -1;
        private long refilledAt;
        private long day = Long.MIN_VALUE;
        private long usedToday;
        private String policy;
        private Integer policyRps;
        private Integer policyBurst;
        private Long policyQuota;

        synchronized Decision take(Subscription s, boolean rateLimited, boolean quotaLimited, long nowNanos, long nowMs) {
            long today = ProvinceCalendar.epochDay(nowMs);
            subscriptionId = s.id();
            if (today != day) {
                day = today;
                usedToday = 0;
            }
            long others = othersDay == today ? othersToday : 0;
            if (quotaLimited && usedToday + others >= s.dailyQuota()) {
                long untilMidnight = (ProvinceCalendar.millisUntilMidnight(nowMs) + 999) / 1000;
                return new Decision(false, policy(s), "\"daily\";r=0;t=" + untilMidnight, untilMidnight,
                        "The daily quota of " + s.dailyQuota() + " calls is used up; it resets at midnight (Asia/Ho_Chi_Minh)");
            }
            if (rateLimited) {
                int n = replicas;
                double rps = (double) s.requestsPerSecond() / n;
                double capacity = Math.max(1, Math.max(s.requestsPerSecond(), s.burst() == null ? 0 : s.burst()) / (double) n);
                if (tokens < 0) {
                    tokens = capacity;
                    refilledAt = nowNanos;
                } else {
                    tokens = Math.min(capacity, tokens + (nowNanos - refilledAt) * rps / 1e9);
                    refilledAt = nowNanos;
                }
                if (tokens < 1) {
                    long wait = Math.max(1, (long) Math.ceil((1 - tokens) / rps));
                    return new Decision(false, policy(s), "\"rate\";r=0;t=" + wait, wait,
                            "The rate limit of " + s.requestsPerSecond() + " calls per second (burst "
                                    + Math.max(s.requestsPerSecond(), s.burst() == null ? 0 : s.burst()) + ") is exceeded");
                }
                tokens -= 1;
            }
            usedToday++;
            return Decision.ALLOWED;
        }

        synchronized void usedOn(long today, java.util.Map<String, Long> out) {
            if (subscriptionId != null && day == today && usedToday > 0) {
                out.put(subscriptionId, usedToday);
            }
        }

        synchronized void others(long today, java.util.Map<String, Long> in) {
            if (subscriptionId != null) {
                othersDay = today;
                othersToday = in.getOrDefault(subscriptionId, 0L);
            }
        }

        /** RateLimit-Policy of the subscription, rebuilt only when catalog changes its limits. */
        private String policy(Subscription s) {
            if (policy == null || !java.util.Objects.equals(policyRps, s.requestsPerSecond())
                    || !java.util.Objects.equals(policyBurst, s.burst()) || !java.util.Objects.equals(policyQuota, s.dailyQuota())) {
                StringBuilder b = new StringBuilder();
                if (s.requestsPerSecond() != null && s.requestsPerSecond() > 0) {
                    int burst = Math.max(s.requestsPerSecond(), s.burst() == null ? 0 : s.burst());
                    b.append("\"rate\";q=").append(s.requestsPerSecond()).append(";w=1;burst=").append(burst);
                }
                if (s.dailyQuota() != null && s.dailyQuota() > 0) {
                    if (!b.isEmpty()) {
                        b.append(", ");
                    }
                    b.append("\"daily\";q=").append(s.dailyQuota()).append(";w=86400");
                }
                policy = b.toString();
                policyRps = s.requestsPerSecond();
                policyBurst = s.burst();
                policyQuota = s.dailyQuota();
            }
            return policy;
        }
    }
}
