package vn.lgsp.common.time;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The calendar the platform counts days in: the province's, Asia/Ho_Chi_Minh. Daily quotas reset at its midnight,
 * a subscription's period of use starts and ends on its dates, and audit's statistics and reconciliation are per
 * its days — so the figures an agency reads in one place match the others and its own books, which are kept in
 * local dates. Vietnam keeps no daylight saving time: the offset (UTC+7) is fixed, and a day is always 24 h.
 */
public final class ProvinceCalendar {

    public static final ZoneId ZONE = ZoneId.of("Asia/Ho_Chi_Minh");
    private static final ZoneOffset OFFSET = ZONE.getRules().getOffset(Instant.EPOCH.plusSeconds(86_400L * 365 * 60));
    private static final long OFFSET_MS = OFFSET.getTotalSeconds() * 1000L;
    private static final long DAY_MS = 86_400_000L;

    private ProvinceCalendar() {
    }

    /** The province's date at that instant. */
    public static LocalDate dateOf(Instant instant) {
        return LocalDate.ofEpochDay(epochDay(instant.toEpochMilli()));
    }

    /** The province's day at that time, as days since 1970-01-01 (cheap enough for the gateway's request path). */
    public static long epochDay(long epochMillis) {
        return Math.floorDiv(epochMillis + OFFSET_MS, DAY_MS);
    }

    /** When that day begins: its midnight in the province. */
    public static Instant startOf(LocalDate date) {
        return Instant.ofEpochMilli(date.toEpochDay() * DAY_MS - OFFSET_MS);
    }

    /** Milliseconds from {@code epochMillis} until the next midnight in the province (at least 1). */
    public static long millisUntilMidnight(long epochMillis) {
        return Math.max(1, (epochDay(epochMillis) + 1) * DAY_MS - OFFSET_MS - epochMillis);
    }
}
