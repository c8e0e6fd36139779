package vn.lgsp.catalog.version.domain;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import vn.lgsp.catalog.support.CalendarDay;

/** Move a version to another lifecycle status; sunsetAt (and optionally retireAt, as the notice) when deprecating. */
public record TransitionRequest(
        @NotBlank @Pattern(regexp = "^(draft|testing|published|deprecated|retired)$",
                message = "must be one of draft, testing, published, deprecated, retired") String to,
        @CalendarDay Instant sunsetAt,
        @CalendarDay Instant retireAt,
        @Size(max = 2000) String comment) {
}
