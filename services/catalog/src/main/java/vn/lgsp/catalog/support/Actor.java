package vn.lgsp.catalog.support;

import java.util.Set;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.security.Caller;
import vn.lgsp.common.security.Roles;

/**
 * The caller, read once on the request thread: reactive continuations run later, so they get this plain
 * value instead of the request-scoped {@link Caller}.
 */
public record Actor(String name, Set<String> roles, String agency) {

    public static Actor of(Caller caller) {
        return new Actor(caller.actor(), Set.copyOf(caller.roles()), caller.agency());
    }

    public boolean isOperator() {
        return roles.contains(Roles.OPERATOR);
    }

    public boolean is(String role) {
        return roles.contains(role);
    }

    /**
     * The platform service {@code name} calling with its own credentials: the role alone is not enough, since
     * every platform service holds it and only one of them is the source of truth for what it tells us.
     */
    public boolean isPlatformService(String name) {
        return roles.contains(Roles.SERVICE) && (Roles.SERVICE_SUBJECT_PREFIX + name).equals(this.name);
    }

    /** An agency admin whose agency is one of the given ones. */
    public boolean administers(String... agencies) {
        if (!roles.contains(Roles.AGENCY_ADMIN) || agency == null) {
            return false;
        }
        for (String a : agencies) {
            if (agency.equals(a)) {
                return true;
            }
        }
        return false;
    }

    /** Operators act for any agency; an agency admin only for one of the given agencies. */
    public void requireOperatorOr(String what, String... agencies) {
        if (!isOperator() && !administers(agencies)) {
            throw ProblemException.forbidden("Only an operator or an admin of agency " + String.join(" or ", agencies)
                    + " may " + what);
        }
    }
}
