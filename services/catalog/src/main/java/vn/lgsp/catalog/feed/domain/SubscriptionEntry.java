package vn.lgsp.catalog.feed.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.UUID;

/** One subscription as routing sees it; in the change feed a non-active status tells routing to drop it. */
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
        Long dailyQuota) {
}
