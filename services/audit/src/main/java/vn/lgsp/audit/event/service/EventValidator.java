package vn.lgsp.audit.event.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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
            if (e == null) {
                errors.add(new FieldError("events[" + i + "]", "notNull", "an event may not be null"));
                continue;
            }
            required(errors, i, "eventId", e.eventId());
            required(errors, i, "occurredAt", e.occurredAt());
            if (e.occurredAt() != null && e.occurredAt().isAfter(latest)) {
                errors.add(new FieldError(at(i, "occurredAt"), "notInFuture", "lies more than 5 minutes in the future"));
            }
            if (e.occurredAt() != null && oldest != null && e.occurredAt().isBefore(oldest)) {
                errors.add(new FieldError(at(i, "occurredAt"), "withinRetention",
                        "lies before the retention window (" + oldest + "); such a record would be dropped at once"));
            }
            if (e.mode() != null && !AuditEvent.MODE_SYNC.equals(e.mode()) && !AuditEvent.MODE_ASYNC.equals(e.mode())) {
                errors.add(new FieldError(at(i, "mode"), "enum", "must be 'sync' or 'async' (absent means sync)"));
            }
            summary(errors, i, "before", e.before());
            summary(errors, i, "after", e.after());
            if (e.type() == null) {
                errors.add(new FieldError(at(i, "type"), "notNull", "is required"));
            } else if (!TYPES.contains(e.type())) {
                errors.add(new FieldError(at(i, "type"), "enum", "unknown event type; expected one of " + TYPES));
            }
            length(errors, i, "source", e.source(), 64, true);
            length(errors, i, "requestId", e.requestId(), 64, false);
            length(errors, i, "traceId", e.traceId(), 64, false);
            length(errors, i, "consumerSystem", e.consumerSystem(), 64, false);
            length(errors, i, "consumerAgency", e.consumerAgency(), 16, false);
            length(errors, i, "providerSystem", e.providerSystem(), 64, false);
            length(errors, i, "providerAgency", e.providerAgency(), 16, false);
            length(errors, i, "serviceCode", e.serviceCode(), 64, false);
            length(errors, i, "serviceVersion", e.serviceVersion(), 8, false);
            length(errors, i, "environment", e.environment(), 16, false);
            length(errors, i, "method", e.method(), 16, false);
            length(errors, i, "path", e.path(), 512, false);
            length(errors, i, "clientId", e.clientId(), 128, false);
            length(errors, i, "errorType", e.errorType(), 128, false);
            length(errors, i, "actor", e.actor(), 128, false);
            length(errors, i, "action", e.action(), 64, false);
            length(errors, i, "resourceType", e.resourceType(), 64, false);
            length(errors, i, "resourceId", e.resourceId(), 128, false);
            length(errors, i, "agencyCode", e.agencyCode(), 16, false);
            length(errors, i, "detail", e.detail(), 1024, false);
            hash(errors, i, "requestSha256", e.requestSha256());
            hash(errors, i, "responseSha256", e.responseSha256());
            nonNegative(errors, i, "latencyMs", e.latencyMs());
            nonNegative(errors, i, "upstreamLatencyMs", e.upstreamLatencyMs());
            nonNegative(errors, i, "requestBytes", e.requestBytes());
            nonNegative(errors, i, "responseBytes", e.responseBytes());
            if (AuditEvent.TRANSACTION.equals(e.type())) {
                required(errors, i, "method", e.method());
                required(errors, i, "status", e.status());
                required(errors, i, "latencyMs", e.latencyMs());
                if (e.status() != null && (e.status() < 100 || e.status() > 599)) {
                    errors.add(new FieldError(at(i, "status"), "range", "must be an HTTP status between 100 and 599"));
                }
            }
            if (AuditEvent.ADMIN_ACTION.equals(e.type())) {
                required(errors, i, "actor", e.actor());
                required(errors, i, "action", e.action());
                required(errors, i, "resourceType", e.resourceType());
            }
        }
        return errors;
    }

    /**
     * The offending field's name, {@code events[i].field}: built only for an error, since audit checks every field of
     * every record it ingests (building all thirty names per record cost more than the checks themselves).
     */
    private static String at(int i, String field) {
        return "events[" + i + "]." + field;
    }

    private static void required(List<FieldError> errors, int i, String field, Object value) {
        if (value == null || value instanceof String s && s.isBlank()) {
            errors.add(new FieldError(at(i, field), "notNull", "is required"));
        }
    }

    private static void length(List<FieldError> errors, int i, String field, String value, int max, boolean required) {
        if (required) {
            required(errors, i, field, value);
        }
        if (value != null && value.length() > max) {
            errors.add(new FieldError(at(i, field), "size", "must be at most " + max + " characters"));
        }
        if (value != null && value.indexOf('\0') >= 0) {
            errors.add(new FieldError(at(i, field), "noNulCharacter", "may not contain the NUL character (U+0000)"));
        }
    }

    /** Summaries are stored as jsonb, which refuses U+0000, and are kept small: the log is not a payload store. */
    private static void summary(List<FieldError> errors, int i, String field,
            com.fasterxml.jackson.databind.JsonNode node) {
        if (node == null) {
            return;
        }
        String text = node.toString();
        if (text.contains("\\u0000")) {
            errors.add(new FieldError(at(i, field), "noNulCharacter", "may not contain the NUL character (U+0000)"));
        }
        if (text.length() > 16_384) {
            errors.add(new FieldError(at(i, field), "size", "a summary may be at most 16384 characters of JSON"));
        }
    }

    private static void hash(List<FieldError> errors, int i, String field, String value) {
        if (value != null && !isSha256Hex(value)) {
            errors.add(new FieldError(at(i, field), "pattern", "must be a lower-case hex SHA-256 (64 characters)"));
        }
    }

    /** {@code [0-9a-f]{64}}, checked by hand: two digests per record, a regex match each cost more than all else. */
    static boolean isSha256Hex(String value) {
        if (value.length() != 64) {
            return false;
        }
        for (int k = 0; k < 64; k++) {
            char c = value.charAt(k);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }

    private static void nonNegative(List<FieldError> errors, int i, String field, Long value) {
        if (value != null && value < 0) {
            errors.add(new FieldError(at(i, field), "min", "must be 0 or more"));
        }
    }
}
