package vn.lgsp.auth.security;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.jboss.logging.Logger;
import vn.lgsp.auth.config.AuthConfig;
import vn.lgsp.auth.revocation.repository.RevocationRepository;
import vn.lgsp.auth.signature.repository.NonceRepository;
import vn.lgsp.auth.sso.repository.IdentityRepository;

/**
 * The tables that only need to remember things for a while, emptied of what no check will ask about again: each on
 * a timer of its own, every replica (the deletes are idempotent). One place for all of them, so a new one is a line.
 */
@ApplicationScoped
public class Housekeeping {

    private static final Logger LOG = Logger.getLogger(Housekeeping.class);

    @Inject
    Vertx vertx;

    @Inject
    AuthConfig config;

    @Inject
    RevocationRepository revocations;

    @Inject
    NonceRepository nonces;

    @Inject
    SharedLoginThrottle logins;

    @Inject
    IdentityRepository identities;

    private final List<Long> timers = new ArrayList<>();

    void start(@Observes StartupEvent ev) {
        // revoked tokens that have expired anyway: the table and the revocation feed stay small
        every(Duration.ofHours(1), "expired revoked tokens", revocations::purgeExpired);
        every(config.hmac().noncePurgeInterval(), "expired signature nonces", nonces::purgeExpired);
        // failed logins older than the throttle's window count for nothing
        every(Duration.ofMillis(Math.max(1000, Math.min(Duration.ofMinutes(1).toMillis(), config.throttle().window().toMillis()))),
                "old login failures", logins::purge);
        every(Duration.ofMinutes(10), "expired exchanged ID tokens", identities::purgeExpired);
    }

    private void every(Duration interval, String what, Supplier<Uni<Integer>> purge) {
        timers.add(vertx.setPeriodic(interval.toMillis(), id -> purge.get().subscribe().with(
                n -> LOG.debugf("Purged %d %s", n, what),
                e -> LOG.warnf("Purging %s failed: %s", what, e.getMessage()))));
    }

    void stop(@Observes ShutdownEvent ev) {
        timers.forEach(vertx::cancelTimer);
    }
}
