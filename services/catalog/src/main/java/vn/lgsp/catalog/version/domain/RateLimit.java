package vn.lgsp.catalog.version.domain;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** Default limits a new subscription gets unless the approver sets its own. */
public record RateLimit(
        @Min(1) @Max(100000) Integer requestsPerSecond,
        @Min(1) @Max(200000) Integer burst,
        @Min(1) @Max(1_000_000_000L) Long dailyQuota) {

    public static final RateLimit DEFAULT = new RateLimit(10, 20, 10_000L);

    public RateLimit withDefaults() {
        return new RateLimit(requestsPerSecond == null ? DEFAULT.requestsPerSecond() : requestsPerSecond,
                burst == null ? DEFAULT.burst() : burst, dailyQuota == null ? DEFAULT.dailyQuota() : dailyQuota);
    }
}
