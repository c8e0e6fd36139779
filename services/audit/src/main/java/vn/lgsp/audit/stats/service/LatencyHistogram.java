package vn.lgsp.audit.stats.service;

/**
 * Fixed latency buckets (milliseconds, upper bounds inclusive) kept in every rollup row, so percentiles of any
 * aggregate are computed from summed counts. Precision: a reported percentile is the upper bound of the bucket
 * holding the true (nearest-rank) value, capped at the observed maximum, so it is at most one bucket high:
 * within +100% below 10 ms and within +50% above (e.g. a true 120 ms reports as 150 ms).
 */
public final class LatencyHistogram {

    public static final long[] BOUNDS = { 1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1000,
            1500, 2000, 3000, 5000, 7500, 10000, 15000, 20000, 30000, 60000 };
    /** One more bucket than bounds: the last counts everything above 60 s. */
    public static final int SIZE = BOUNDS.length + 1;

    private LatencyHistogram() {
    }

    public static int bucket(long millis) {
        for (int i = 0; i < BOUNDS.length; i++) {
            if (millis <= BOUNDS[i]) {
                return i;
            }
        }
        return BOUNDS.length;
    }

    /** What a percentile falling on {@code millis} is reported as (before the cap at the maximum). */
    public static long upperBoundOf(long millis) {
        int b = bucket(millis);
        return b < BOUNDS.length ? BOUNDS[b] : Long.MAX_VALUE;
    }

    /** Nearest-rank percentile (0 &lt; p &le; 1) from bucket counts; null when empty. */
    public static Long percentile(long[] counts, double p, long max) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        if (total == 0) {
            return null;
        }
        long rank = (long) Math.ceil(p * total);
        long cumulative = 0;
        for (int i = 0; i < counts.length; i++) {
            cumulative += counts[i];
            if (cumulative >= rank) {
                long bound = i < BOUNDS.length ? BOUNDS[i] : Long.MAX_VALUE;
                return Math.min(bound, max);
            }
        }
        return max;
    }
}
