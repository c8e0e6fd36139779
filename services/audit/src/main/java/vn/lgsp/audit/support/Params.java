package vn.lgsp.audit.support;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import vn.lgsp.common.problem.Problem.FieldError;
import vn.lgsp.common.problem.ProblemException;

/** Parsing of query and body parameters into values or field errors naming the parameter and the rule. */
public final class Params {

    private Params() {
    }

    public static Instant instant(List<FieldError> errors, String field, String value, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                errors.add(new FieldError(field, "notNull", "is required (ISO-8601 instant such as 2026-11-23T08:00:00Z)"));
            }
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            errors.add(new FieldError(field, "format", "must be an ISO-8601 instant such as 2026-11-23T08:00:00Z"));
            return null;
        }
    }

    public static LocalDate date(String field, String value, LocalDate fallback) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw ProblemException.field(field, "format", "must be a date such as 2026-11-23");
        }
    }

    public static UUID uuid(String field, String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ProblemException.field(field, "format", "must be a UUID");
        }
    }

    /** from..to inclusive, from not after to, at most maxDays days. */
    public static void dayRange(LocalDate from, LocalDate to, int maxDays) {
        if (from.isAfter(to)) {
            throw ProblemException.field("from", "notAfterTo", "'from' must not be after 'to'");
        }
        if (from.plusDays(maxDays - 1L).isBefore(to)) {
            throw ProblemException.field("to", "maxRange", "the range may span at most " + maxDays + " days; narrow 'from'/'to'");
        }
    }
}
