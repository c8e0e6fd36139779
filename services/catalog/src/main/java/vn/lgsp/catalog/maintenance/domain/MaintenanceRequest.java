package vn.lgsp.catalog.maintenance.domain;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import vn.lgsp.catalog.support.CalendarDay;
import java.util.List;

/**
 * An announcement of maintenance, or its new schedule. {@code services} empty or absent: the whole platform
 * (operators only); {@code environment} absent: both. {@code impact} {@code unavailable} (the default: routing refuses
 * the calls the window covers, 503 with Retry-After) or {@code degraded} (announced only).
 * {@code emergency} with a {@code reason} waives the minimum notice, for unplanned work (An Giang Art. 17.8:
 * "theo các yêu cầu đột xuất").
 */
public record MaintenanceRequest(
        @NotBlank(message = "is required") @Size(max = 200, message = "must be at most 200 characters") String title,
        @Size(max = 4000, message = "must be at most 4000 characters") String description,
        @Size(max = 100, message = "at most 100 services; announce the whole platform instead") List<String> services,
        String environment,
        String impact,
        @NotNull(message = "is required (an instant, e.g. 2026-11-29T17:00:00Z)") @CalendarDay Instant startsAt,
        @NotNull(message = "is required (an instant, e.g. 2026-11-29T21:00:00Z)") @CalendarDay Instant endsAt,
        Boolean emergency,
        @Size(max = 2000, message = "must be at most 2000 characters") String reason) {

    public static final String UNAVAILABLE = "unavailable";
    public static final String DEGRADED = "degraded";

    public List<String> serviceList() {
        return services == null ? List.of() : services;
    }

    public String impactOrDefault() {
        return impact == null || impact.isBlank() ? UNAVAILABLE : impact;
    }

    public boolean isEmergency() {
        return Boolean.TRUE.equals(emergency);
    }
}
