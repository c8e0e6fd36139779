package vn.lgsp.routing.exchange.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;
import vn.lgsp.routing.config.RoutingConfig;

/**
 * Closes expired envelopes every sweep interval, and once an hour forgets history past its retention. Every replica
 * sweeps; SKIP LOCKED hands each envelope to one of them.
 */
@ApplicationScoped
public class ExchangeSweeper {

    private static final Logger LOG = Logger.getLogger(ExchangeSweeper.class);
    private static final long PURGE_EVERY_MS = 3_600_000;

    @Inject
    Vertx vertx;

    @Inject
    ExchangeService service;

    @Inject
    RoutingConfig config;

    private long timer = -1;
    private long lastPurge;
    private volatile boolean running;

    void start(@Observes StartupEvent ev) {
        long every = Math.max(100, config.exchange().sweepInterval().toMillis());
        timer = vertx.setPeriodic(every, every, id -> sweep());
    }

    void stop(@Observes ShutdownEvent ev) {
        vertx.cancelTimer(timer);
    }

    private void sweep() {
        if (running) {
            return;
        }
        running = true;
        boolean purge = System.currentTimeMillis() - lastPurge > PURGE_EVERY_MS;
        service.sweep()
                .call(n -> purge ? service.purge().invoke(p -> lastPurge = System.currentTimeMillis()) : Uni.createFrom().item(0L))
                .subscribe().with(n -> {
                    running = false;
                    if (n > 0) {
                        LOG.infof("%d exchange envelope(s) expired", n);
                    }
                }, e -> {
                    running = false;
                    LOG.warnf("Exchange sweep failed: %s", e.getMessage());
                });
    }
}
