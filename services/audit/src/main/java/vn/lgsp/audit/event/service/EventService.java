package vn.lgsp.audit.event.service;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import vn.lgsp.audit.event.repository.EventRepository;
import vn.lgsp.common.audit.AuditEvent;
import vn.lgsp.common.problem.Problem.FieldError;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;

/** Ingest: validate the whole batch, then store it; duplicates (same event id) are counted, not stored twice. */
@ApplicationScoped
public class EventService {

    @Inject
    EventRepository repository;

    @WithSpan("audit.ingest")
    public Uni<IngestResult> ingest(List<AuditEvent> events) {
        List<FieldError> errors = EventValidator.validate(events);
        if (!errors.isEmpty()) {
            return Uni.createFrom().failure(new ProblemException(ProblemType.VALIDATION,
                    errors.size() + " problem(s) in the batch; nothing was stored", errors, Map.of()));
        }
        return repository.insertAll(events).map(stored -> new IngestResult(events.size(), stored, events.size() - stored));
    }

    /** What happened to a batch: {@code received = stored + duplicates}. */
    public record IngestResult(int received, int stored, int duplicates) {
    }
}
