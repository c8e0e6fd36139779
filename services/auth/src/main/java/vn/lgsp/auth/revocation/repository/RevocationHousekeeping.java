package vn.lgsp.auth.revocation.repository;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

/** Hourly: forget revoked tokens that have expired anyway, so the table and the feed stay small. */
@ApplicationScoped
public class RevocationHousekeeping {

    private static final Logger LOG = Logger.getLogger(RevocationHousekeeping.class);
    private static final long EVERY_MS = 3_600_000;

    @Inject
    Vertx vertx;

    @Inject
    RevocationRepository repository;

    private long timer = -1;

    void start(@Observes StartupEvent ev) {
        timer = vertx.setPeriodic(EVERY_MS, id -> repository.purgeExpired().subscribe().with(
                n -> LOG.debugf("Purged %d expired revoked tokens", n),
                e -> LOG.warnf("Purging expired revoked tokens failed: %s", e.getMessage())));
    }

    void stop(@Observes ShutdownEvent ev) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }
}
