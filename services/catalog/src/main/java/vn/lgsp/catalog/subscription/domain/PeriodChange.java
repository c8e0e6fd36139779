package vn.lgsp.catalog.subscription.domain;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import vn.lgsp.catalog.support.CalendarDay;

/** Body of a change of the period of use: its new last day (a date in the province's calendar) and why. */
public record PeriodChange(
        @NotNull @CalendarDay LocalDate periodEnd,
        @Size(max = 2000) String reason) {
}
