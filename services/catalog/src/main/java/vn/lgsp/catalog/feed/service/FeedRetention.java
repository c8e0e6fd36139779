package vn.lgsp.catalog.feed.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import org.jboss.logging.Logger;
import vn.lgsp.catalog.feed.repository.ChangeLog;
import vn.lgsp.catalog.support.CatalogConfig;

/**
 * Keeps routing's change log bounded: changes older than {@code lgsp.catalog.feed-retention} are deleted on a
 * timer. The snapshot is the way to resync; a reader asking for changes behind the retained log gets 410 and
 * reloads it. The newest change is always kept, so the revision (the log's highest sequence) never goes back.
 */
@ApplicationScoped
public class FeedRetention {

    private static final Logger LOG = Logger.getLogger(FeedRetention.class);

    @Inject
    Vertx vertx;

    @Inject
    ChangeLog changeLog;

    @Inject
    CatalogConfig config;

    @Inject
    Clock clock;

    private long timer = -1;

    void start(@Observes StartupEvent ev) {
        long every = Math.max(1000, config.feedPruneInterval().toMillis());
        timer = vertx.setPeriodic(every, every, id -> prune().subscribe().with(n -> {
            if (n > 0) {
                LOG.infof("Pruned %d changes older than %s from the change log", n, config.feedRetention());
            }
        }, e -> LOG.warnf("Change log not pruned: %s", e.getMessage())));
    }

    void stop(@Observes ShutdownEvent ev) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Deletes what is older than the retention; answers how many changes went. */
    public Uni<Integer> prune() {
        return changeLog.pruneBefore(clock.instant().minus(config.feedRetention()));
    }
}
