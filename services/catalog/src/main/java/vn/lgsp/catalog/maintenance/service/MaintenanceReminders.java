package vn.lgsp.catalog.maintenance.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import vn.lgsp.catalog.support.CatalogConfig;
import vn.lgsp.common.outbox.Rounds;

/**
 * The timer of {@link MaintenanceService#remindDue}: subscribers told when a window was announced (maybe days ahead)
 * are reminded shortly before it starts. A round follows at once while a batch came back full; never two at a time.
 */
@ApplicationScoped
public class MaintenanceReminders {

    private static final Logger LOG = Logger.getLogger(MaintenanceReminders.class);

    @Inject
    Vertx vertx;

    @Inject
    MaintenanceService maintenance;

    @Inject
    CatalogConfig config;

    private final Rounds rounds = new Rounds(() -> maintenance.remindDue().invoke(r -> {
        if (r.windows() > 0) {
            LOG.infof("Maintenance: %d subscriptions reminded of %d windows starting soon", r.subscriptions(), r.windows());
        }
    }).onFailure().invoke(e -> LOG.warnf("Maintenance reminders not sent this round: %s", e.getMessage()))
            .map(r -> r.windows() == MaintenanceService.REMINDER_BATCH).subscribeAsCompletionStage());

    void start(@Observes StartupEvent ev) {
        if (!config.maintenanceReminder().isZero() && !config.maintenanceReminder().isNegative()) {
            rounds.kickEvery(vertx, config.maintenanceReminderInterval(), () -> { });
        }
    }

    void stop(@Observes ShutdownEvent ev) {
        rounds.stop();
    }
}
