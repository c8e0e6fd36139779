package vn.lgsp.catalog.version.domain;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import vn.lgsp.catalog.support.CalendarDay;

/** Tells subscribers when a version will be retired: at least 60 days ahead. */
public record RetirementNotice(@NotNull @CalendarDay Instant retireAt, @Size(max = 2000) String comment) {
}
