package vn.lgsp.catalog.subscription.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import vn.lgsp.catalog.feed.domain.SubscriptionEntry;

/** A consumer system's right to call one service version in one environment, with its limits. */
public record Subscription(
        UUID id,
        String serviceCode,
        String version,
        String consumerSystem,
        String consumerAgency,
        String environment,
        String purpose,
        String expectedFrequency,
        /** what the application asked for (REQUIREMENTS A3): view, use, update or share */
        String requestedAccessLevel,
        /** what routing lets the subscriber do; pending: the level asked for, until decided */
        String accessLevel,
        LocalDate periodStart,
        LocalDate periodEnd,
        String webhookUrl,
        SubscriptionStatus status,
        Integer requestsPerSecond,
        Integer burst,
        Long dailyQuota,
        String reason,
        UUID carriedOverFrom,
        String requestedBy,
        String decidedBy,
        Instant createdAt,
        Instant updatedAt) {

    public SubscriptionEntry toEntry() {
        return new SubscriptionEntry(id, serviceCode, version, consumerSystem, consumerAgency, environment, status.wire(),
                requestsPerSecond, burst, dailyQuota, periodStart, periodEnd, accessLevel);
    }

    public Subscription withState(SubscriptionStatus next, Integer rps, Integer burstLimit, Long quota, String why,
            String decider, Instant now) {
        return new Subscription(id, serviceCode, version, consumerSystem, consumerAgency, environment, purpose,
                expectedFrequency, requestedAccessLevel, accessLevel, periodStart, periodEnd, webhookUrl, next, rps, burstLimit,
                quota, why, carriedOverFrom, requestedBy, decider, createdAt, now);
    }

    /** The same subscription granting another level (and asking for {@code requested}). */
    public Subscription withAccessLevel(String requested, String granted, String why, Instant now) {
        return new Subscription(id, serviceCode, version, consumerSystem, consumerAgency, environment, purpose,
                expectedFrequency, requested, granted, periodStart, periodEnd, webhookUrl, status, requestsPerSecond, burst,
                dailyQuota, why, carriedOverFrom, requestedBy, decidedBy, createdAt, now);
    }

    /** The same subscription with another last day of its period of use. */
    public Subscription withPeriodEnd(LocalDate end, String why, Instant now) {
        return new Subscription(id, serviceCode, version, consumerSystem, consumerAgency, environment, purpose,
                expectedFrequency, requestedAccessLevel, accessLevel, periodStart, end, webhookUrl, status, requestsPerSecond,
                burst, dailyQuota, why, carriedOverFrom, requestedBy, decidedBy, createdAt, now);
    }

    /** The same subscription after its consumer system moved to another agency. */
    public Subscription withConsumerAgency(String agency, Instant now) {
        return new Subscription(id, serviceCode, version, consumerSystem, agency, environment, purpose, expectedFrequency,
                requestedAccessLevel, accessLevel, periodStart, periodEnd, webhookUrl, status, requestsPerSecond, burst,
                dailyQuota, reason, carriedOverFrom, requestedBy, decidedBy, createdAt, now);
    }
}
