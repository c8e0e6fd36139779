package vn.lgsp.catalog.subscription.domain;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import vn.lgsp.catalog.support.CalendarDay;
import vn.lgsp.common.access.AccessLevel;

/**
 * Body of a change request (what the consumer side asks for: a higher access level, a later last day of use, or both,
 * and why) and of its approval (what the provider side grants: by default all that was asked, or less).
 */
public record ChangeTerms(
        @Pattern(regexp = AccessLevel.PATTERN, message = AccessLevel.MESSAGE) String accessLevel,
        @CalendarDay LocalDate periodEnd,
        @Size(max = 2000) String reason) {

    public static final ChangeTerms EMPTY = new ChangeTerms(null, null, null);
}
