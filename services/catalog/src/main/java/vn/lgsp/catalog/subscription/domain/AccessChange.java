package vn.lgsp.catalog.subscription.domain;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import vn.lgsp.common.access.AccessLevel;

/** Body of a change of a subscription's access level (REQUIREMENTS A3) and why. */
public record AccessChange(
        @NotNull(message = AccessLevel.MESSAGE) @Pattern(regexp = AccessLevel.PATTERN, message = AccessLevel.MESSAGE) String accessLevel,
        @Size(max = 2000) String reason) {
}
