package vn.lgsp.audit.event.api;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.audit.event.repository.EventRepository;
import vn.lgsp.audit.event.repository.EventRepository.EventQuery;
import vn.lgsp.audit.event.repository.EventRepository.StoredEvent;
import vn.lgsp.audit.event.service.EventService;
import vn.lgsp.audit.event.service.EventService.IngestResult;
import vn.lgsp.common.audit.AuditEvent;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.security.Caller;
import vn.lgsp.common.security.Roles;

@Path("/api/v1/events")
@Tag(name = "events", description = "The audit log: ingest from platform services, query for operators and auditors")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class EventResource {

    /** Queries are bounded so nobody scans two years of rows by accident. */
    static final Duration MAX_RANGE = Duration.ofDays(31);
    static final int MAX_LIMIT = 500;

    @Inject
    EventService service;

    @Inject
    EventRepository repository;

    @Inject
    Caller caller;

    @POST
    @Path("/batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SERVICE)
    @Operation(summary = "Ingest a batch of events (platform services only)",
            description = "Idempotent by eventId: a batch sent twice stores each event once. Every event is validated; "
                    + "if any is invalid nothing is stored and each error names events[i].field.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "transaction", value = """
            {"events":[{"eventId":"0b9f6a3e-3f7e-4d1c-9f55-1f0c2a9d7e11","type":"transaction","occurredAt":"2026-11-23T08:00:00Z",
            "source":"routing","requestId":"c0ffee00-0000-4000-8000-000000000001","consumerSystem":"HTTT-MOTCUA",
            "consumerAgency":"000.00.00.H62","serviceCode":"dan-cu","serviceVersion":"v1","environment":"production",
            "method":"GET","path":"/dan-cu/v1/citizens","status":200,"latencyMs":12}]}""")))
    public IngestResult ingest(EventBatch batch) {
        return service.ingest(batch == null ? null : batch.events());
    }

    @GET
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Query the log, newest first",
            description = "Range defaults to the last 24 hours and may span at most 31 days. An agency admin sees only "
                    + "records where its agency is the consumer, the provider or the subject. Follow nextCursor for more.")
    public Uni<EventPage> query(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("type") String type, @QueryParam("consumerSystem") String consumerSystem,
            @QueryParam("consumerAgency") String consumerAgency, @QueryParam("providerSystem") String providerSystem,
            @QueryParam("providerAgency") String providerAgency, @QueryParam("service") String serviceCode,
            @QueryParam("version") String version, @QueryParam("status") Integer status,
            @QueryParam("requestId") String requestId, @QueryParam("traceId") String traceId,
            @QueryParam("cursor") String cursor, @QueryParam("limit") Integer limit) {
        Instant end = parseInstant("to", to, Instant.now());
        Instant start = parseInstant("from", from, end.minus(Duration.ofHours(24)));
        if (!start.isBefore(end)) {
            throw ProblemException.field("from", "before", "'from' must be before 'to'");
        }
        if (Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
            throw ProblemException.field("to", "maxRange", "a query may span at most 31 days; narrow 'from'/'to'");
        }
        int size = limit == null ? 100 : limit;
        if (size < 1 || size > MAX_LIMIT) {
            throw ProblemException.field("limit", "range", "must be between 1 and " + MAX_LIMIT);
        }
        String agency = null;
        if (!caller.isOperator() && !caller.is(Roles.AUDITOR)) {
            agency = caller.agency();
            if (agency == null) {
                throw ProblemException.forbidden("Your token names no agency");
            }
        }
        EventQuery q = new EventQuery(start, end, type, consumerSystem, consumerAgency, providerSystem, providerAgency,
                serviceCode, version, status, requestId, traceId, agency);
        Long before = decodeCursor(cursor);
        return repository.find(q, before, size + 1).map(rows -> {
            boolean more = rows.size() > size;
            List<StoredEvent> page = more ? rows.subList(0, size) : rows;
            String next = more ? encodeCursor(page.get(page.size() - 1).seq()) : null;
            return new EventPage(page, next);
        });
    }

    private static Instant parseInstant(String field, String value, Instant fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.field(field, "format", "must be an ISO-8601 instant such as 2026-11-23T08:00:00Z");
        }
    }

    private static String encodeCursor(long seq) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("s:" + seq).getBytes(StandardCharsets.US_ASCII));
    }

    private static Long decodeCursor(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (!raw.startsWith("s:")) {
                throw new IllegalArgumentException();
            }
            return Long.parseLong(raw.substring(2));
        } catch (IllegalArgumentException e) {
            throw ProblemException.field("cursor", "format", "is not a cursor this service issued");
        }
    }

    /** The request body of the batch ingest. */
    public record EventBatch(List<AuditEvent> events) {
    }

    /** One page of results and the cursor of the next, if any. */
    public record EventPage(List<StoredEvent> items, String nextCursor) {
    }
}
