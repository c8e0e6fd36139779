package vn.lgsp.catalog.subscription.domain;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import vn.lgsp.common.access.AccessLevel;

/**
 * Body of approve / reject / suspend / resume / end. Limits and the access level apply to approve (defaults: the
 * version's limits, the level applied for; a lower level may be granted, not a higher one).
 */
public record Decision(
        @Min(1) @Max(100000) Integer requestsPerSecond,
        @Min(1) @Max(200000) Integer burst,
        @Min(1) @Max(1_000_000_000L) Long dailyQuota,
        @Size(max = 2000) String reason,
        @Pattern(regexp = AccessLevel.PATTERN, message = AccessLevel.MESSAGE) String accessLevel) {

    public static final Decision EMPTY = new Decision(null, null, null, null, null);
}
