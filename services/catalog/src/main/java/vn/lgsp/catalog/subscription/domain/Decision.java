package vn.lgsp.catalog.subscription.domain;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;

/** Body of approve / reject / suspend / resume / end. Limits apply to approve (defaults: the version's). */
public record Decision(
        @Min(1) @Max(100000) Integer requestsPerSecond,
        @Min(1) @Max(200000) Integer burst,
        @Min(1) @Max(1_000_000_000L) Long dailyQuota,
        @Size(max = 2000) String reason) {

    public static final Decision EMPTY = new Decision(null, null, null, null);
}
