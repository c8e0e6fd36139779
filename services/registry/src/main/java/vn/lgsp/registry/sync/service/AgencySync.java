package vn.lgsp.registry.sync.service;

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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import vn.lgsp.common.client.PlatformConfig;
import vn.lgsp.common.outbox.Rounds;
import vn.lgsp.registry.support.RegistryConfig;
import vn.lgsp.registry.sync.client.AgencySyncClient;
import vn.lgsp.registry.sync.repository.AgencySyncRepository;
import vn.lgsp.registry.sync.repository.AgencySyncRepository.Item;

/**
 * Delivers the {@code agency_sync} outbox: a system's current agency to auth (its credentials, hence tokens'
 * {@code agency} claim and the gateway's HMAC keys) and to catalog (services it provides, its open subscriptions,
 * routing's snapshot); a re-issued agency code to auth (agency-admin accounts). Kicked after each change commits
 * and by a timer, which also retries with exponential backoff (never giving up: a peer that stays wrong is worse
 * than one that is late) and takes over rows a stopped replica had leased. Backlog and the oldest row's age are
 * gauges, so an operator sees news that is not getting through.
 */
@ApplicationScoped
public class AgencySync {

    private static final Logger LOG = Logger.getLogger(AgencySync.class);
    private static final int BATCH = 20;

    @Inject
    Vertx vertx;

    @Inject
    AgencySyncRepository outbox;

    @Inject
    AgencySyncClient peers;

    @Inject
    RegistryConfig config;

    @Inject
    PlatformConfig platform;

    @Inject
    MeterRegistry meters;

    private final Rounds rounds = new Rounds(this::round);
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong oldestSeconds = new AtomicLong();

    void start(@Observes StartupEvent ev) {
        Gauge.builder("lgsp.registry.agency.sync.pending", pending, AtomicLong::get)
                .description("Agency changes auth or catalog have not accepted yet").register(meters);
        Gauge.builder("lgsp.registry.agency.sync.oldest", oldestSeconds, AtomicLong::get).baseUnit("seconds")
                .description("Age of the oldest agency change not yet accepted by auth or catalog").register(meters);
        rounds.kickEvery(vertx, config.agencySync().pollInterval(), () -> outbox.backlog().subscribe().with(b -> {
            pending.set(b[0]);
            oldestSeconds.set(b[1]);
        }, e -> LOG.debugf("agency sync backlog not read: %s", e.getMessage())));
    }

    void stop(@Observes ShutdownEvent ev) {
        rounds.stop();
    }

    /** Delivers what is due now; a call while a round runs makes it run once more. */
    public void kick() {
        rounds.kick();
    }

    /** Claims due rows and delivers them, settling each; more may wait after a full batch. */
    private CompletionStage<Boolean> round() {
        // The lease outlives one round of calls (two per row, each bounded by the call timeout), so no other
        // replica takes the row meanwhile.
        Duration lease = platform.callTimeout().multipliedBy(2).plusSeconds(10);
        return outbox.claimDue(BATCH, lease).subscribeAsCompletionStage()
                .thenCompose(items -> CompletableFuture.allOf(items.stream().map(this::deliver).toArray(CompletableFuture[]::new))
                        .thenApply(v -> items.size() == BATCH))
                .whenComplete((more, error) -> {
                    if (error != null) {
                        LOG.warnf("Agency changes could not be claimed: %s", error.getMessage());
                    }
                });
    }

    private CompletableFuture<Void> deliver(Item item) {
        if (item.agencyCode() == null || (item.isSystem() && item.systemCode() == null)
                || (AgencySyncRepository.AGENCY_CODE.equals(item.kind()) && item.agencyCode().equals(item.oldCode()))) {
            // cannot happen (foreign keys; a code is never handed out again); settle it rather than retry forever
            return settle(item, true, true, null);
        }
        CompletableFuture<String> auth = !item.authPending() ? CompletableFuture.completedFuture(null)
                : item.isSystem() ? peers.systemAgency(false, item.systemCode(), item.agencyCode())
                : item.isAgencyEnded() ? peers.agencyEnded(endedCodes(item))
                : peers.agencyCode(item.oldCode(), item.agencyCode());
        CompletableFuture<String> catalog = !item.catalogPending() || !item.isSystem() ? CompletableFuture.completedFuture(null)
                : peers.systemAgency(true, item.systemCode(), item.agencyCode());
        return auth.thenCombine(catalog, (a, c) -> new String[] { a, c })
                .exceptionally(e -> new String[] { String.valueOf(e), String.valueOf(e) })
                .thenCompose(r -> {
                    String error = r[0] == null ? r[1] : r[1] == null ? r[0] : r[0] + "; " + r[1];
                    if (error != null) {
                        LOG.infof("Agency change %d (%s %s → %s) not accepted yet, attempt %d: %s", item.id(), item.kind(),
                                item.isSystem() ? item.systemCode() : item.oldCode(), item.agencyCode(), item.attempts() + 1, error);
                    }
                    return settle(item, r[0] == null, r[1] == null, error);
                });
    }

    private static java.util.List<String> endedCodes(Item item) {
        java.util.List<String> codes = new java.util.ArrayList<>(java.util.List.of(item.agencyCode()));
        if (item.oldCode() != null) {
            codes.addAll(java.util.Arrays.asList(item.oldCode().split(",")));
        }
        return codes;
    }

    private CompletableFuture<Void> settle(Item item, boolean authDone, boolean catalogDone, String error) {
        String why = error == null ? null : error.length() > 500 ? error.substring(0, 500) : error;
        Instant next = error == null ? null : Instant.now().plus(backoff(item.attempts() + 1));
        return outbox.settle(item, authDone, catalogDone, why, next).subscribeAsCompletionStage()
                .exceptionally(e -> {
                    LOG.warnf("Outcome of agency change %d not recorded (its lease runs out and it is sent again): %s", item.id(),
                            e.getMessage());
                    return null;
                }).toCompletableFuture();
    }

    /** Wait after the n-th failed attempt: initial × 2^(n-1), capped. */
    Duration backoff(int failedAttempts) {
        return Rounds.backoff(config.agencySync().initialBackoff(), config.agencySync().maxBackoff(), failedAttempts);
    }
}
