package vn.lgsp.catalog.maintenance.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import vn.lgsp.catalog.feed.domain.MaintenanceEntry;

/**
 * An announced maintenance window. {@code state} is derived from the times when read: {@code scheduled} (not started),
 * {@code in-progress}, {@code completed} (its end has passed) or {@code cancelled}.
 *
 * @param services            empty: the whole platform
 * @param environment         null: both environments
 * @param announcerAgency     the provider agency whose admin announced it; null when an operator did
 * @param subscribersNotified in the answer to an announcement, change or cancellation: how many subscriptions were told
 */
public record MaintenanceWindow(
        UUID id,
        String title,
        String description,
        List<String> services,
        String environment,
        String impact,
        Instant startsAt,
        Instant endsAt,
        boolean emergency,
        String emergencyReason,
        String state,
        String cancelReason,
        Instant cancelledAt,
        String announcedBy,
        String announcerAgency,
        int rowVersion,
        Instant createdAt,
        Instant updatedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer subscribersNotified) {

    public static final String SCHEDULED = "scheduled";
    public static final String IN_PROGRESS = "in-progress";
    public static final String COMPLETED = "completed";
    public static final String CANCELLED = "cancelled";

    /** The state of a stored window at {@code now}; {@code status} is the stored one (scheduled or cancelled). */
    public static String state(String status, Instant startsAt, Instant endsAt, Instant now) {
        if (CANCELLED.equals(status)) {
            return CANCELLED;
        }
        if (!now.isBefore(endsAt)) {
            return COMPLETED;
        }
        return now.isBefore(startsAt) ? SCHEDULED : IN_PROGRESS;
    }

    public boolean platformWide() {
        return services.isEmpty();
    }

    public boolean open() {
        return SCHEDULED.equals(state) || IN_PROGRESS.equals(state);
    }

    public MaintenanceEntry toEntry() {
        return new MaintenanceEntry(id, title, services, environment, impact, startsAt, endsAt, CANCELLED.equals(state));
    }

    public MaintenanceWindow withNotified(int n) {
        return new MaintenanceWindow(id, title, description, services, environment, impact, startsAt, endsAt, emergency,
                emergencyReason, state, cancelReason, cancelledAt, announcedBy, announcerAgency, rowVersion, createdAt,
                updatedAt, n);
    }
}
