package vn.lgsp.catalog.feed.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One maintenance window as routing sees it (docs/internal-apis.md): an {@code unavailable} window makes routing
 * answer 503 for the services and environment it covers between its times; {@code cancelled} withdraws it.
 *
 * @param serviceCodes empty: every service
 * @param environment  null: both environments
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record MaintenanceEntry(
        UUID id,
        String title,
        List<String> serviceCodes,
        String environment,
        String impact,
        Instant startsAt,
        Instant endsAt,
        boolean cancelled) {
}
