package vn.lgsp.registry.support;

import java.util.Set;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.security.Caller;
import vn.lgsp.common.security.Roles;

/**
 * The caller, copied out of the request-scoped {@link Caller} at the resource boundary so that reactive
 * continuations (which may run after the request context is gone) never touch the token again.
 */
public record Actor(String name, Set<String> roles, String agency) {

    public static Actor of(Caller caller) {
        return new Actor(caller.actor(), Set.copyOf(caller.roles()), caller.agency());
    }

    public boolean isOperator() {
        return roles.contains(Roles.OPERATOR);
    }

    public boolean isAgencyAdmin() {
        return roles.contains(Roles.AGENCY_ADMIN);
    }

    /** Roles that read every record: operators, auditors and platform services. */
    public boolean readsEverything() {
        return isOperator() || roles.contains(Roles.AUDITOR) || roles.contains(Roles.SERVICE);
    }

    /** The role recorded in histories: the strongest one the caller holds. */
    public String primaryRole() {
        if (isOperator()) {
            return Roles.OPERATOR;
        }
        if (isAgencyAdmin()) {
            return Roles.AGENCY_ADMIN;
        }
        return roles.stream().sorted().findFirst().orElse("none");
    }

    public void requireOperator(String what) {
        if (!isOperator()) {
            throw ProblemException.forbidden("Only an operator may " + what);
        }
    }
}
