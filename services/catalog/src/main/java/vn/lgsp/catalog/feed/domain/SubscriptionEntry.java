package vn.lgsp.catalog.feed.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.LocalDate;
import java.util.UUID;

/**
 * One subscription as routing sees it; in the change feed a non-active status tells routing to drop it. routing
 * serves it only on the days of its period of use (dates in the province's calendar, both ends included), and only
 * for the operations its access level covers.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record SubscriptionEntry(
        UUID id,
        String serviceCode,
        String version,
        String consumerSystem,
        String consumerAgency,
        String environment,
        String status,
        Integer requestsPerSecond,
        Integer burst,
        Long dailyQuota,
        LocalDate periodStart,
        LocalDate periodEnd,
        /** view, use, update or share (REQUIREMENTS A3): what routing lets the subscriber do */
        String accessLevel) {
}
