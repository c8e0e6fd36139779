package vn.lgsp.common.security;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;
import vn.lgsp.common.client.PlatformConfig;

/**
 * Keeps {@link RevokedTokens} current from auth's revocation feed, on a timer, off the request path. Until the first
 * answer nothing is refused for being revoked (the token's own signature and expiry still hold); when auth cannot
 * be reached the last list stays in force. How old it is shows as {@code lgsp_token_revocations_age_seconds}.
 */
@ApplicationScoped
public class RevocationPoller {

    private static final Logger LOG = Logger.getLogger(RevocationPoller.class);

    @Inject
    PlatformConfig config;

    @Inject
    RevocationSource source;

    @Inject
    RevokedTokens revoked;

    @Inject
    Vertx vertx;

    @Inject
    MeterRegistry meters;

    private final Instant started = Instant.now();
    private CompletableFuture<Void> last = CompletableFuture.completedFuture(null);
    private volatile boolean failing;
    private long timer = -1;

    void start(@Observes StartupEvent ev) {
        if (!config.revocations().enabled()) {
            return;
        }
        Gauge.builder("lgsp.token.revocations.age", this, RevocationPoller::ageSeconds).baseUnit("seconds")
                .description("Time since auth's revocation feed last answered (since start until it first does)")
                .register(meters);
        long every = Math.max(100, config.revocations().interval().toMillis());
        refresh();
        timer = vertx.setPeriodic(every, every, id -> {
            synchronized (this) {
                if (!last.isDone()) {
                    return; // the previous poll is still out (bounded by the source's timeout)
                }
            }
            refresh();
        });
    }

    void stop(@Observes ShutdownEvent ev) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /**
     * Polls once more after any poll in progress, so what was revoked before this call is seen when the returned
     * stage completes (auth calls it after its own revocations). Never fails: a failed poll is logged.
     */
    public synchronized CompletableFuture<Void> refresh() {
        CompletableFuture<Void> next = last.thenCompose(v -> pollOnce());
        last = next;
        return next;
    }

    private CompletableFuture<Void> pollOnce() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            source.fetch(revoked.revision()).whenComplete((feed, error) -> {
                if (error != null) {
                    if (!failing) {
                        failing = true;
                        LOG.warnf("auth's revocation feed could not be read (the last list stays in force; retrying every %s): %s",
                                config.revocations().interval(), rootMessage(error));
                    } else {
                        LOG.debugf("revocation feed still unreadable: %s", rootMessage(error));
                    }
                } else {
                    if (feed != null) {
                        revoked.apply(feed);
                    } else {
                        revoked.checked();
                    }
                    if (failing) {
                        failing = false;
                        LOG.infof("auth's revocation feed answers again (revision %d)", revoked.revision());
                    }
                }
                done.complete(null);
            });
        } catch (RuntimeException e) {
            LOG.warnf("revocation poll could not start: %s", e.getMessage());
            done.complete(null);
        }
        return done;
    }

    double ageSeconds() {
        Instant at = revoked.checkedAt();
        return Duration.between(at == null ? started : at, Instant.now()).toMillis() / 1000.0;
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + (c.getMessage() == null ? "" : ": " + c.getMessage());
    }
}
