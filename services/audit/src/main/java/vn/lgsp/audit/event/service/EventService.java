package vn.lgsp.audit.event.service;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import vn.lgsp.audit.support.AuditClock;
import vn.lgsp.audit.support.AuditConfig;
import vn.lgsp.common.audit.AuditEvent;
import vn.lgsp.common.problem.Problem.FieldError;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;

/** Ingest: validate the whole batch, then store it; duplicates (same event id) are counted, not stored twice. */
@ApplicationScoped
public class EventService {

    @Inject
    GroupCommit writer;

    @Inject
    AuditClock clock;

    @Inject
    AuditConfig config;

    @WithSpan("audit.ingest")
    public IngestResult ingest(List<AuditEvent> events) {
        List<FieldError> errors = EventValidator.validate(events, clock.now().atOffset(ZoneOffset.UTC)
                .minusMonths(config.retentionMonths()).toInstant());
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION,
                    errors.size() + " problem(s) in the batch; nothing was stored", errors, Map.of());
        }
        // PostgreSQL keeps microseconds: hash and store the value that will read back, and drop in-batch repeats.
        List<AuditEvent> unique = new ArrayList<>(events.size());
        Set<String> seen = new HashSet<>();
        for (AuditEvent e : events) {
            AuditEvent n = micros(e);
            if (seen.add(n.eventId() + "@" + n.occurredAt())) {
                unique.add(n);
            }
        }
        int stored = writer.append(unique);
        return new IngestResult(events.size(), stored, events.size() - stored);
    }

    static AuditEvent micros(AuditEvent e) {
        if (e.occurredAt().getNano() % 1000 == 0) {
            return e;
        }
        return new AuditEvent(e.eventId(), e.type(), e.occurredAt().truncatedTo(ChronoUnit.MICROS), e.source(),
                e.requestId(), e.traceId(), e.consumerSystem(), e.consumerAgency(), e.providerSystem(),
                e.providerAgency(), e.serviceCode(), e.serviceVersion(), e.environment(), e.method(), e.path(),
                e.status(), e.latencyMs(), e.upstreamLatencyMs(), e.requestBytes(), e.responseBytes(),
                e.requestSha256(), e.responseSha256(), e.clientId(), e.errorType(), e.actor(), e.action(),
                e.resourceType(), e.resourceId(), e.agencyCode(), e.before(), e.after(), e.detail(), e.mode());
    }

    /** What happened to a batch: {@code received = stored + duplicates}. */
    public record IngestResult(int received, int stored, int duplicates) {
    }
}
