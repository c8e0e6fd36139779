package vn.lgsp.common.problem;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * An RFC 9457 problem document. {@code requestId} and {@code errors} are extension members:
 * the request id lets an integrator quote the failing call to an operator, and {@code errors}
 * names each offending field and the rule it broke.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String instance,
        String requestId,
        List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** One field that failed validation: where it is, which rule it broke, and a sentence for a person. */
    public record FieldError(String field, String rule, String message) {
    }

    public Problem withContext(String instance, String requestId) {
        return new Problem(type, title, status, detail, instance, requestId, errors);
    }
}
