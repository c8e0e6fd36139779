package vn.lgsp.registry.support;

import io.vertx.pgclient.PgException;
import java.util.List;
import java.util.Map;
import vn.lgsp.common.problem.Problem.FieldError;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;

/** Problems this service raises beyond the common factory methods. */
public final class Problems {

    private Problems() {
    }

    /** The request is well-formed but refers to something that makes it impossible (422, naming the field). */
    public static ProblemException unprocessable(String field, String rule, String message) {
        return new ProblemException(ProblemType.UNPROCESSABLE, message, List.of(new FieldError(field, rule, message)), Map.of());
    }

    /** True for a unique-constraint violation: a concurrent insert won the race the pre-check could not see. */
    public static boolean isUniqueViolation(Throwable t) {
        return t instanceof PgException pg && "23505".equals(pg.getSqlState());
    }

    public static boolean isForeignKeyViolation(Throwable t) {
        return t instanceof PgException pg && "23503".equals(pg.getSqlState());
    }

    public static String constraint(Throwable t) {
        return t instanceof PgException pg && pg.getConstraint() != null ? pg.getConstraint() : "";
    }
}
