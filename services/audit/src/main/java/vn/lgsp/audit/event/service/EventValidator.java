package vn.lgsp.audit.event.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import vn.lgsp.common.audit.AuditEvent;
import vn.lgsp.common.problem.Problem.FieldError;

/**
 * Checks every event of a batch before anything is written, and names each offending field as
 * {@code events[i].field}, so a misbehaving sender learns exactly what to fix.
 */
public final class EventValidator {

    public static final int MAX_BATCH = 1000;
    static final Set<String> TYPES = Set.of(AuditEvent.TRANSACTION, AuditEvent.ADMIN_ACTION, AuditEvent.AUTH_FAILURE,
            AuditEvent.ALERT);
    /** Clocks drift; an event from further in the future than this is a sender bug. */
    private static final Duration FUTURE_TOLERANCE = Duration.ofMinutes(5);
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private EventValidator() {
    }

    public static List<FieldError> validate(List<AuditEvent> events) {
        return validate(events, null);
    }

    /** {@code oldest}: events that happened before it would fall outside retention at once, so they are refused. */
    public static List<FieldError> validate(List<AuditEvent> events, Instant oldest) {
        List<FieldError> errors = new ArrayList<>();
        if (events == null || events.isEmpty()) {
            errors.add(new FieldError("events", "notEmpty", "a batch holds at least one event"));
            return errors;
        }
        if (events.size() > MAX_BATCH) {
            errors.add(new FieldError("events", "size", "a batch holds at most " + MAX_BATCH + " events"));
            return errors;
        }
        Instant latest = Instant.now().plus(FUTURE_TOLERANCE);
        for (int i = 0; i < events.size(); i++) {
            AuditEvent e = events.get(i);
            String at = "events[" + i + "].";
            if (e == null) {
                errors.add(new FieldError("events[" + i + "]", "notNull", "an event may not be null"));
                continue;
            }
            required(errors, at + "eventId", e.eventId());
            required(errors, at + "occurredAt", e.occurredAt());
            if (e.occurredAt() != null && e.occurredAt().isAfter(latest)) {
                errors.add(new FieldError(at + "occurredAt", "notInFuture", "lies more than 5 minutes in the future"));
            }
            if (e.occurredAt() != null && oldest != null && e.occurredAt().isBefore(oldest)) {
                errors.add(new FieldError(at + "occurredAt", "withinRetention",
                        "lies before the retention window (" + oldest + "); such a record would be dropped at once"));
            }
            if (e.mode() != null && !AuditEvent.MODE_SYNC.equals(e.mode()) && !AuditEvent.MODE_ASYNC.equals(e.mode())) {
                errors.add(new FieldError(at + "mode", "enum", "must be 'sync' or 'async' (absent means sync)"));
            }
            summary(errors, at + "before", e.before());
            summary(errors, at + "after", e.after());
            if (e.type() == null) {
                errors.add(new FieldError(at + "type", "notNull", "is required"));
            } else if (!TYPES.contains(e.type())) {
                errors.add(new FieldError(at + "type", "enum", "unknown event type; expected one of " + TYPES));
            }
            length(errors, at + "source", e.source(), 64, true);
            length(errors, at + "requestId", e.requestId(), 64, false);
            length(errors, at + "traceId", e.traceId(), 64, false);
            length(errors, at + "consumerSystem", e.consumerSystem(), 64, false);
            length(errors, at + "consumerAgency", e.consumerAgency(), 16, false);
            length(errors, at + "providerSystem", e.providerSystem(), 64, false);
            length(errors, at + "providerAgency", e.providerAgency(), 16, false);
            length(errors, at + "serviceCode", e.serviceCode(), 64, false);
            length(errors, at + "serviceVersion", e.serviceVersion(), 8, false);
            length(errors, at + "environment", e.environment(), 16, false);
            length(errors, at + "method", e.method(), 16, false);
            length(errors, at + "path", e.path(), 512, false);
            length(errors, at + "clientId", e.clientId(), 128, false);
            length(errors, at + "errorType", e.errorType(), 128, false);
            length(errors, at + "actor", e.actor(), 128, false);
            length(errors, at + "action", e.action(), 64, false);
            length(errors, at + "resourceType", e.resourceType(), 64, false);
            length(errors, at + "resourceId", e.resourceId(), 128, false);
            length(errors, at + "agencyCode", e.agencyCode(), 16, false);
            length(errors, at + "detail", e.detail(), 1024, false);
            hash(errors, at + "requestSha256", e.requestSha256());
            hash(errors, at + "responseSha256", e.responseSha256());
            nonNegative(errors, at + "latencyMs", e.latencyMs());
            nonNegative(errors, at + "upstreamLatencyMs", e.upstreamLatencyMs());
            nonNegative(errors, at + "requestBytes", e.requestBytes());
            nonNegative(errors, at + "responseBytes", e.responseBytes());
            if (AuditEvent.TRANSACTION.equals(e.type())) {
                required(errors, at + "method", e.method());
                required(errors, at + "status", e.status());
                required(errors, at + "latencyMs", e.latencyMs());
                if (e.status() != null && (e.status() < 100 || e.status() > 599)) {
                    errors.add(new FieldError(at + "status", "range", "must be an HTTP status between 100 and 599"));
                }
            }
            if (AuditEvent.ADMIN_ACTION.equals(e.type())) {
                required(errors, at + "actor", e.actor());
                required(errors, at + "action", e.action());
                required(errors, at + "resourceType", e.resourceType());
            }
        }
        return errors;
    }

    private static void required(List<FieldError> errors, String field, Object value) {
        if (value == null || value instanceof String s && s.isBlank()) {
            errors.add(new FieldError(field, "notNull", "is required"));
        }
    }

    private static void length(List<FieldError> errors, String field, String value, int max, boolean required) {
        if (required) {
            required(errors, field, value);
        }
        if (value != null && value.length() > max) {
            errors.add(new FieldError(field, "size", "must be at most " + max + " characters"));
        }
        if (value != null && value.indexOf('\0') >= 0) {
            errors.add(new FieldError(field, "noNulCharacter", "may not contain the NUL character (U+0000)"));
        }
    }

    /** Summaries are stored as jsonb, which refuses U+0000, and are kept small: the log is not a payload store. */
    private static void summary(List<FieldError> errors, String field, com.fasterxml.jackson.databind.JsonNode node) {
        if (node == null) {
            return;
        }
        String text = node.toString();
        if (text.contains("\\u0000")) {
            errors.add(new FieldError(field, "noNulCharacter", "may not contain the NUL character (U+0000)"));
        }
        if (text.length() > 16_384) {
            errors.add(new FieldError(field, "size", "a summary may be at most 16384 characters of JSON"));
        }
    }

    private static void hash(List<FieldError> errors, String field, String value) {
        if (value != null && !SHA256.matcher(value).matches()) {
            errors.add(new FieldError(field, "pattern", "must be a lower-case hex SHA-256 (64 characters)"));
        }
    }

    private static void nonNegative(List<FieldError> errors, String field, Long value) {
        if (value != null && value < 0) {
            errors.add(new FieldError(field, "min", "must be 0 or more"));
        }
    }
}
