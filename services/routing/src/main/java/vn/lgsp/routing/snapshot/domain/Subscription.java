package vn.lgsp.routing.snapshot.domain;

import vn.lgsp.common.access.AccessLevel;

/**
 * An active subscription of a consumer system to a service version in one environment, with its limits and its
 * period of use: the first and last day it may be used, as days since 1970-01-01 in the province's calendar
 * (ProvinceCalendar), both included — compared on the request path with one division, never a date object.
 */
public record Subscription(
        String id,
        String serviceCode,
        String version,
        String consumerSystem,
        String consumerAgency,
        String environment,
        /** null or ≤ 0: no rate limit */
        Integer requestsPerSecond,
        Integer burst,
        /** null or ≤ 0: no daily quota */
        Long dailyQuota,
        /** Long.MIN_VALUE: no first day */
        long firstDay,
        /** Long.MAX_VALUE: no last day */
        long lastDay,
        /**
         * the level of access granted (REQUIREMENTS A3); null: unrestricted, as every subscription was before access
         * levels (a catalog that sends none)
         */
        AccessLevel accessLevel) {

    /** An unrestricted subscription for a period of use. */
    public Subscription(String id, String serviceCode, String version, String consumerSystem, String consumerAgency,
            String environment, Integer requestsPerSecond, Integer burst, Long dailyQuota, long firstDay,
            long lastDay) {
        this(id, serviceCode, version, consumerSystem, consumerAgency, environment, requestsPerSecond, burst, dailyQuota,
                firstDay, lastDay, null);
    }

    /** An unrestricted subscription usable every day (tests, and feeds from a catalog that sends no period). */
    public Subscription(String id, String serviceCode, String version, String consumerSystem, String consumerAgency,
            String environment, Integer requestsPerSecond, Integer burst, Long dailyQuota) {
        this(id, serviceCode, version, consumerSystem, consumerAgency, environment, requestsPerSecond, burst, dailyQuota,
                Long.MIN_VALUE, Long.MAX_VALUE, null);
    }

    public record Key(String consumerSystem, String serviceCode, String version, String environment) {
    }

    public Key key() {
        return new Key(consumerSystem, serviceCode, version, environment);
    }

    /** Whether the subscription may be used on this day (days since 1970-01-01, ProvinceCalendar). */
    public boolean inPeriod(long epochDay) {
        return epochDay >= firstDay && epochDay <= lastDay;
    }
}
