package vn.lgsp.audit.storage.service;

import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import vn.lgsp.audit.event.repository.EventWriter;
import vn.lgsp.audit.storage.service.LegalHoldService.LegalHold;
import vn.lgsp.audit.support.AdminLog;
import vn.lgsp.audit.support.AuditConfig;
import vn.lgsp.audit.support.Db;

/**
 * Keeps at least {@code lgsp.audit.retention-months} (never below 24, An Giang Art. 18.5) and drops whole older
 * partitions. A partition is dropped only when its whole month ended at or before {@code now - retention} and it
 * overlaps no active legal hold. Every drop is recorded in the log as an admin action of {@code system:retention}.
 */
@ApplicationScoped
@Startup
public class RetentionService {

    private static final Logger LOG = Logger.getLogger(RetentionService.class);
    public static final int MINIMUM_MONTHS = 24;

    @Inject
    AuditConfig config;

    @Inject
    Db db;

    @Inject
    PartitionManager partitions;

    @Inject
    LegalHoldService holds;

    @Inject
    AdminLog adminLog;

    @PostConstruct
    void checkConfig() {
        checkMonths(config.retentionMonths());
    }

    /** Start-up refuses a retention below the legal minimum rather than silently raising it. */
    public static void checkMonths(int months) {
        if (months < MINIMUM_MONTHS) {
            throw new IllegalStateException("lgsp.audit.retention-months=" + months + " is below the legal minimum of "
                    + MINIMUM_MONTHS + " months (An Giang Art. 18.5); refusing to start");
        }
    }

    public Instant cutoff(Instant now) {
        return now.atOffset(ZoneOffset.UTC).minusMonths(config.retentionMonths()).toInstant();
    }

    /** One retention pass as of {@code now} (the injectable clock's time in production). */
    public RetentionRun run(Instant now) {
        Instant cutoff = cutoff(now);
        List<LegalHold> active = holds.active();
        List<String> dropped = new ArrayList<>();
        List<String> held = new ArrayList<>();
        for (YearMonth m : partitions.list()) {
            Instant start = m.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            Instant end = m.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
            if (end.isAfter(cutoff)) {
                continue;
            }
            String name = PartitionManager.name(m);
            if (active.stream().anyMatch(h -> h.from().isBefore(end) && h.to().isAfter(start))) {
                held.add(name);
                continue;
            }
            db.tx(tx -> {
                // The head lock first, as ingest does, so detaching never deadlocks with a batch.
                EventWriter.lockHead(tx);
                // Rows that arrived after their month ended were chained into a later day, which may still be kept:
                // record their links so that day still verifies.
                tx.q("INSERT INTO audit_chain_expired (chain_day, chain_seq, hash, event_id) SELECT chain_day, chain_seq,"
                        + " hash, event_id FROM " + name + " WHERE chain_day >= $1 AND hash IS NOT NULL"
                        + " ON CONFLICT DO NOTHING", m.plusMonths(1).atDay(1));
                tx.exec("ALTER TABLE audit_event DETACH PARTITION " + name);
                tx.exec("DROP TABLE " + name);
                return null;
            });
            partitions.forget(m);
            dropped.add(name);
            Map<String, Object> before = new LinkedHashMap<>();
            before.put("partition", name);
            before.put("from", start.toString());
            before.put("to", end.toString());
            before.put("cutoff", cutoff.toString());
            adminLog.record("system:retention", "partition.drop", "audit-partition", name, null, before, null);
            LOG.infof("Retention: dropped partition %s (records before %s)", name, end);
        }
        return new RetentionRun(cutoff, dropped, held);
    }

    /** What one pass did. */
    public record RetentionRun(Instant cutoff, List<String> dropped, List<String> keptForLegalHold) {
    }
}
