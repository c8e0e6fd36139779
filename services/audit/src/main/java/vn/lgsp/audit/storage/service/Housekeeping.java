package vn.lgsp.audit.storage.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import vn.lgsp.audit.event.repository.EventWriter;
import vn.lgsp.audit.integrity.service.IntegrityService;
import vn.lgsp.audit.support.AuditClock;
import vn.lgsp.audit.support.AuditConfig;
import vn.lgsp.audit.support.Db;

/**
 * The storage jobs, at start-up (before traffic: migrated rows are chained first) and then every
 * {@code lgsp.audit.housekeeping.interval}: partitions for this and the next months, the anchor of a day that
 * ended without further traffic, retention, and pruning the per-minute alert counters. Each step is independent:
 * one failing is logged and the others still run. Safe with several replicas (everything takes the head lock).
 */
@ApplicationScoped
public class Housekeeping {

    private static final Logger LOG = Logger.getLogger(Housekeeping.class);

    @Inject
    AuditConfig config;

    @Inject
    AuditClock clock;

    @Inject
    Db db;

    @Inject
    PartitionManager partitions;

    @Inject
    RetentionService retention;

    @Inject
    IntegrityService integrity;

    private ScheduledExecutorService executor;

    void start(@Observes StartupEvent ev) {
        integrity.backfill();
        ensureAhead(clock.now());
        if (!config.housekeeping().enabled()) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lgsp-audit-housekeeping");
            t.setDaemon(true);
            return t;
        });
        long every = config.housekeeping().interval().toMillis();
        executor.scheduleWithFixedDelay(this::runSafely, 5_000, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent ev) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    void runSafely() {
        Instant now = clock.now();
        step("partitions", () -> ensureAhead(now));
        step("anchor", integrity::anchorClosedDay);
        step("retention", () -> retention.run(now));
        step("prune", () -> db.q("DELETE FROM audit_stat_minute WHERE minute < $1", now.minusSeconds(2 * 86_400)));
        step("prune-auth", () -> db.q("DELETE FROM audit_stat_auth_minute WHERE minute < $1", now.minusSeconds(2 * 86_400)));
    }

    /** This month and {@code lgsp.audit.partitions.ahead-months} more. */
    public List<YearMonth> ensureAhead(Instant now) {
        YearMonth current = YearMonth.from(now.atOffset(ZoneOffset.UTC));
        List<YearMonth> months = new ArrayList<>();
        for (int i = 0; i <= config.partitions().aheadMonths(); i++) {
            months.add(current.plusMonths(i));
        }
        partitions.list();
        // Months that reached the default partition (e.g. a partition creation rolled back): give them their own.
        for (var r : db.q("SELECT DISTINCT date_trunc('month', occurred_at AT TIME ZONE 'UTC')::date AS m FROM audit_event_default")) {
            months.add(YearMonth.from(r.getLocalDate("m")));
        }
        db.tx(tx -> {
            EventWriter.lockHead(tx);
            partitions.ensure(tx, months);
            return null;
        });
        return months;
    }

    private static void step(String name, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warnf("Housekeeping step %s failed: %s", name, e.getMessage());
        }
    }
}
