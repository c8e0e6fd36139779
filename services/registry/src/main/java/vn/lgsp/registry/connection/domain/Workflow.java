package vn.lgsp.registry.connection.domain;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import vn.lgsp.common.problem.ProblemException;

/**
 * The connection-request state machine [TQ 10.1–10.5, AG 11.2, LC 12.2–12.3], as one table readable top to
 * bottom. It decides; the service carries out the side effects and records the transition.
 */
public final class Workflow {

    public static final String SUBMITTED = "submitted";
    public static final String UNDER_REVIEW = "under_review";
    public static final String NEEDS_CHANGES = "needs_changes";
    public static final String RESUBMITTED = "resubmitted";
    public static final String APPROVED_FOR_TESTING = "approved_for_testing";
    public static final String TESTING = "testing";
    public static final String TEST_PASSED = "test_passed";
    public static final String IN_PRODUCTION = "in_production";
    public static final String SUSPENDED = "suspended";
    public static final String REVOKED = "revoked";
    public static final String WITHDRAWN = "withdrawn";

    public static final List<String> STATES = List.of(SUBMITTED, UNDER_REVIEW, NEEDS_CHANGES, RESUBMITTED, APPROVED_FOR_TESTING,
            TESTING, TEST_PASSED, IN_PRODUCTION, SUSPENDED, REVOKED, WITHDRAWN);
    /** States a request can be suspended or revoked from. */
    public static final Set<String> ACTIVE = Set.of(SUBMITTED, UNDER_REVIEW, NEEDS_CHANGES, RESUBMITTED, APPROVED_FOR_TESTING,
            TESTING, TEST_PASSED, IN_PRODUCTION);
    /** States the requester may withdraw from. */
    public static final Set<String> BEFORE_PRODUCTION = Set.of(SUBMITTED, UNDER_REVIEW, NEEDS_CHANGES, RESUBMITTED,
            APPROVED_FOR_TESTING, TESTING, TEST_PASSED);

    /** What entering the new state makes auth do. */
    public enum Effect {
        NONE, ISSUE_TEST, ISSUE_PRODUCTION, REVOKE_ALL, REVOKE_TEST
    }

    public enum Action {
        REVIEW, REQUEST_CHANGES, RESUBMIT, APPROVE_FOR_TESTING, START_TESTING, CONFIRM_TEST, GO_LIVE, SUSPEND, RESUME, REVOKE,
        WITHDRAW;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Action parse(String value) {
            for (Action a : values()) {
                if (a.wire().equals(value)) {
                    return a;
                }
            }
            return null;
        }
    }

    /** Actions of the provincial operator (the reviewer) and of the requesting agency. */
    static final Set<Action> OPERATOR_ACTIONS = EnumSet.of(Action.REVIEW, Action.REQUEST_CHANGES, Action.APPROVE_FOR_TESTING,
            Action.START_TESTING, Action.CONFIRM_TEST, Action.GO_LIVE, Action.SUSPEND, Action.RESUME, Action.REVOKE);
    static final Set<Action> AGENCY_ACTIONS = EnumSet.of(Action.RESUBMIT, Action.WITHDRAW, Action.CONFIRM_TEST);

    /** The outcome of an action: the next state (may equal the current one for a first confirmation) and its side effect. */
    public record Decision(String to, Effect effect) {
    }

    private Workflow() {
    }

    /** Whether the caller's role may take this action at all (403 otherwise, before looking at the state). */
    public static void requireRole(Action action, boolean operator, boolean agencyAdmin) {
        if (operator && OPERATOR_ACTIONS.contains(action) || agencyAdmin && AGENCY_ACTIONS.contains(action)) {
            return;
        }
        String who = OPERATOR_ACTIONS.contains(action) && AGENCY_ACTIONS.contains(action) ? "an operator or the requesting agency"
                : OPERATOR_ACTIONS.contains(action) ? "an operator" : "the requesting agency's admin";
        throw ProblemException.forbidden("Only " + who + " may " + action.wire());
    }

    /**
     * The next state for an action from a state; 409 illegal-transition if the action is not allowed there.
     * {@code bothConfirmed} tells CONFIRM_TEST whether this confirmation is the second one.
     */
    public static Decision decide(String from, Action action, boolean shortened, String suspendedFrom, boolean bothConfirmed) {
        switch (action) {
            case REVIEW:
                return when(from.equals(SUBMITTED) || from.equals(RESUBMITTED), from, UNDER_REVIEW, Effect.NONE);
            case REQUEST_CHANGES:
                return when(from.equals(UNDER_REVIEW), from, NEEDS_CHANGES, Effect.NONE);
            case RESUBMIT:
                return when(from.equals(NEEDS_CHANGES), from, RESUBMITTED, Effect.NONE);
            case APPROVE_FOR_TESTING:
                // mandatory-list systems take the shortened procedure: straight from submitted [LC 12.3]
                return when(from.equals(UNDER_REVIEW) || shortened && from.equals(SUBMITTED), from, APPROVED_FOR_TESTING, Effect.NONE);
            case START_TESTING:
                return when(from.equals(APPROVED_FOR_TESTING), from, TESTING, Effect.ISSUE_TEST);
            case CONFIRM_TEST:
                return when(from.equals(TESTING), from, bothConfirmed ? TEST_PASSED : TESTING, Effect.NONE);
            case GO_LIVE:
                return when(from.equals(TEST_PASSED), from, IN_PRODUCTION, Effect.ISSUE_PRODUCTION);
            case SUSPEND:
                return when(ACTIVE.contains(from), from, SUSPENDED, Effect.REVOKE_ALL);
            case RESUME:
                if (!from.equals(SUSPENDED) || suspendedFrom == null) {
                    throw ProblemException.illegalTransition(from, "resume");
                }
                Effect effect = suspendedFrom.equals(TESTING) ? Effect.ISSUE_TEST
                        : suspendedFrom.equals(IN_PRODUCTION) ? Effect.ISSUE_PRODUCTION : Effect.NONE;
                return new Decision(suspendedFrom, effect);
            case REVOKE:
                return when(ACTIVE.contains(from) || from.equals(SUSPENDED), from, REVOKED, Effect.REVOKE_ALL);
            case WITHDRAW:
                return when(BEFORE_PRODUCTION.contains(from), from, WITHDRAWN,
                        from.equals(TESTING) || from.equals(TEST_PASSED) ? Effect.REVOKE_TEST : Effect.NONE);
            default:
                throw new IllegalStateException(action.name());
        }
    }

    private static Decision when(boolean allowed, String from, String to, Effect effect) {
        if (!allowed) {
            throw ProblemException.illegalTransition(from, to);
        }
        return new Decision(to, effect);
    }
}
