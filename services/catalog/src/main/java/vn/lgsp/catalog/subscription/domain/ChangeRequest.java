package vn.lgsp.catalog.subscription.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * A consumer side's request to change what it cannot change itself (a higher access level, a later last day of use),
 * and the provider side's decision. The subscription's terms when it was made are kept beside it.
 */
public record ChangeRequest(
        UUID id,
        UUID subscriptionId,
        String serviceCode,
        String version,
        String consumerSystem,
        String consumerAgency,
        String environment,
        ChangeRequestStatus status,
        /** asked for; null: not asked to change */
        String accessLevel,
        /** asked for; null: not asked to change */
        LocalDate periodEnd,
        String reason,
        String fromAccessLevel,
        LocalDate fromPeriodEnd,
        /** approved: the level granted (null when the level was not asked for) */
        String grantedAccessLevel,
        /** approved: the last day granted (null when the period was not asked for) */
        LocalDate grantedPeriodEnd,
        String decisionReason,
        String requestedBy,
        String decidedBy,
        Instant createdAt,
        Instant decidedAt) {

    public ChangeRequest decided(ChangeRequestStatus to, String level, LocalDate end, String why, String decider,
            Instant now) {
        return new ChangeRequest(id, subscriptionId, serviceCode, version, consumerSystem, consumerAgency, environment, to,
                accessLevel, periodEnd, reason, fromAccessLevel, fromPeriodEnd, level, end, why, requestedBy, decider,
                createdAt, now);
    }
}
