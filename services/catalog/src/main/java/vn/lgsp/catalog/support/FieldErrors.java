package vn.lgsp.catalog.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import vn.lgsp.common.problem.Problem.FieldError;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;

/** Collects every field error of a request so the client sees them all at once, not one per attempt. */
public final class FieldErrors {

    private final List<FieldError> errors = new ArrayList<>();

    public FieldErrors add(String field, String rule, String message) {
        errors.add(new FieldError(field, rule, message));
        return this;
    }

    public int size() {
        return errors.size();
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    /** All collected errors as one problem of the given type (409 for state rules, 422...). */
    public ProblemException toProblem(ProblemType type) {
        String detail = errors.stream().map(e -> e.field() + ": " + e.message()).reduce((a, b) -> a + "; " + b).orElse("");
        return new ProblemException(type, detail, errors, Map.of());
    }

    public void throwIfAny() {
        if (!errors.isEmpty()) {
            String detail = errors.stream().map(e -> e.field() + ": " + e.message()).reduce((a, b) -> a + "; " + b).orElse("");
            throw new ProblemException(ProblemType.VALIDATION, detail, errors, Map.of());
        }
    }

    /** A problem of another type (409, 422...) that still names the field and rule. */
    public static ProblemException of(ProblemType type, String field, String rule, String message) {
        return new ProblemException(type, message, List.of(new FieldError(field, rule, message)), Map.of());
    }

    /** True for an absolute http(s) URL with a host: the only upstreams and webhooks we call. */
    public static boolean isHttpUrl(String value) {
        if (value == null) {
            return false;
        }
        try {
            java.net.URI uri = new java.net.URI(value);
            String scheme = uri.getScheme();
            return uri.isAbsolute() && ("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
                    && uri.getHost() != null && uri.getRawUserInfo() == null && uri.getRawFragment() == null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }
}
