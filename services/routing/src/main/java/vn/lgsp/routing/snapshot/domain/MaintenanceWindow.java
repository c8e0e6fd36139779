package vn.lgsp.routing.snapshot.domain;

import java.time.Instant;
import java.util.Set;

/**
 * A maintenance window catalog announced (REQUIREMENTS M8), as the gateway honours it. Only windows that are
 * neither cancelled nor over reach the snapshot; one that ends while in it is dropped at the next catalog poll, and
 * never refuses a call after its end meanwhile ({@link #inEffectAt}).
 *
 * @param id           catalog's id of the window (the change feed's key)
 * @param title        what is being done, as announced (named in the 503's detail)
 * @param serviceCodes the services it covers; empty: every service of the platform
 * @param environment  {@code test} or {@code production}; null: both
 * @param unavailable  impact {@code unavailable}: the calls it covers are refused while it lasts; else
 *                     {@code degraded}: announced only, calls go on
 * @param startsAt     first instant of the window (inclusive)
 * @param endsAt       end of the window (exclusive); after {@code startsAt}
 */
public record MaintenanceWindow(String id, String title, Set<String> serviceCodes, String environment,
        boolean unavailable, Instant startsAt, Instant endsAt) {

    public static final String UNAVAILABLE = "unavailable";
    public static final String DEGRADED = "degraded";

    /** The impact as the feed names it. */
    public String impact() {
        return unavailable ? UNAVAILABLE : DEGRADED;
    }

    /** Whether calls to {@code serviceCode} in {@code environment} fall under it (whatever the time). */
    public boolean covers(String serviceCode, String environment) {
        return (this.environment == null || this.environment.equals(environment))
                && (serviceCodes.isEmpty() || serviceCodes.contains(serviceCode));
    }

    /** From {@code startsAt} (inclusive) to {@code endsAt} (exclusive). */
    public boolean inEffectAt(long epochMillis) {
        return startsAt.toEpochMilli() <= epochMillis && epochMillis < endsAt.toEpochMilli();
    }

    public boolean endedAt(long epochMillis) {
        return epochMillis >= endsAt.toEpochMilli();
    }

    /** Whether a call to {@code serviceCode} in {@code environment} at that instant must be refused for it. */
    public boolean refuses(String serviceCode, String environment, long epochMillis) {
        return unavailable && inEffectAt(epochMillis) && covers(serviceCode, environment);
    }
}
