package vn.lgsp.common.problem;

import java.util.List;
import java.util.Map;

/**
 * Thrown anywhere in a service to end the request with a problem document.
 * Carries no stack trace: it is a planned answer, not a failure.
 */
public class ProblemException extends RuntimeException {

    private final ProblemType type;
    private final String detail;
    private final List<Problem.FieldError> errors;
    private final Map<String, String> headers;

    public ProblemException(ProblemType type, String detail) {
        this(type, detail, List.of(), Map.of());
    }

    public ProblemException(ProblemType type, String detail, List<Problem.FieldError> errors, Map<String, String> headers) {
        super(detail, null, false, false);
        this.type = type;
        this.detail = detail;
        this.errors = List.copyOf(errors);
        this.headers = Map.copyOf(headers);
    }

    public static ProblemException field(String field, String rule, String message) {
        return new ProblemException(ProblemType.VALIDATION, message,
                List.of(new Problem.FieldError(field, rule, message)), Map.of());
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(ProblemType.NOT_FOUND, what + " was not found");
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(ProblemType.FORBIDDEN, detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(ProblemType.CONFLICT, detail);
    }

    public static ProblemException duplicate(String field, String detail) {
        return new ProblemException(ProblemType.DUPLICATE, detail,
                List.of(new Problem.FieldError(field, "unique", detail)), Map.of());
    }

    public static ProblemException illegalTransition(String from, String to) {
        return new ProblemException(ProblemType.ILLEGAL_TRANSITION,
                "Cannot go from '" + from + "' to '" + to + "'");
    }

    public ProblemType type() {
        return type;
    }

    public String detail() {
        return detail;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public Problem toProblem() {
        return new Problem(type.uri(), type.title(), type.status(), detail, null, null, errors);
    }
}
