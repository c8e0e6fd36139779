package vn.lgsp.common.time;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class ProvinceCalendarTest {

    @Test
    void theDayTurnsAtMidnightInVietnamNotInUtc() {
        // 16:59:59 UTC is 23:59:59 in Hanoi; one second later it is the next day there, still the same day in UTC.
        Instant before = Instant.parse("2026-11-23T16:59:59Z");
        Instant after = Instant.parse("2026-11-23T17:00:00Z");
        assertEquals(LocalDate.of(2026, 11, 23), ProvinceCalendar.dateOf(before));
        assertEquals(LocalDate.of(2026, 11, 24), ProvinceCalendar.dateOf(after));
        assertEquals(LocalDate.of(2026, 11, 24).toEpochDay(), ProvinceCalendar.epochDay(after.toEpochMilli()));
    }

    @Test
    void agreesWithTheJdkTimeZoneRules() {
        for (String s : new String[] { "1999-12-31T16:59:59.999Z", "2026-01-01T00:00:00Z", "2026-06-30T17:00:00Z",
                "2030-03-10T02:30:00Z" }) {
            Instant i = Instant.parse(s);
            assertEquals(i.atZone(ProvinceCalendar.ZONE).toLocalDate(), ProvinceCalendar.dateOf(i), s);
        }
        LocalDate d = LocalDate.of(2026, 12, 31);
        assertEquals(ZonedDateTime.of(d.atStartOfDay(), ProvinceCalendar.ZONE).toInstant(), ProvinceCalendar.startOf(d));
    }

    @Test
    void millisUntilMidnightCountsToTheProvincesMidnight() {
        long oneSecondBefore = Instant.parse("2026-11-23T16:59:59Z").toEpochMilli();
        assertEquals(1000, ProvinceCalendar.millisUntilMidnight(oneSecondBefore));
        assertEquals(86_400_000L, ProvinceCalendar.millisUntilMidnight(Instant.parse("2026-11-23T17:00:00Z").toEpochMilli()));
    }
}
