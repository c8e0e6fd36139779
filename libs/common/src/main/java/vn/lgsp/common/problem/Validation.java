package vn.lgsp.common.problem;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Validator;
import java.util.Set;

/**
 * Bean Validation run in code rather than by annotations on a resource method: after the caller is checked (so a
 * caller refused anyway learns nothing from the rules), or on a wrapper that gives field paths their request-body
 * names. Violations answer 400 exactly as an annotated request body's do ({@link ProblemMappers}).
 */
public final class Validation {

    private Validation() {
    }

    public static <T> void check(Validator validator, T bean) {
        Set<ConstraintViolation<T>> violations = validator.validate(bean);
        if (!violations.isEmpty()) {
            throw new ConstraintViolationException(violations);
        }
    }
}
