package vn.lgsp.registry.connection;

import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import vn.lgsp.registry.AuthStub;
import vn.lgsp.registry.Fixtures;
import vn.lgsp.testing.PlatformTestResource;
import vn.lgsp.testing.TestJwt;

/**
 * Every action from every state, with a role allowed to take it: legal ones move to the expected state,
 * all others answer 409 illegal-transition. Then every action with each role that may not take it: 403.
 * The expectations are written out here, independently of the production table.
 */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
@QuarkusTestResource(AuthStub.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransitionMatrixTest {

    static final List<String> STATES = List.of("submitted", "under_review", "needs_changes", "resubmitted", "approved_for_testing",
            "testing", "test_passed", "in_production", "suspended", "revoked", "withdrawn");
    static final List<String> ACTIVE = STATES.subList(0, 8);
    static final List<String> PRE_PRODUCTION = STATES.subList(0, 7);

    /** action → (legal from-state → resulting state). suspended requests were suspended from testing. */
    static final Map<String, Map<String, String>> LEGAL = Map.ofEntries(
            Map.entry("review", Map.of("submitted", "under_review", "resubmitted", "under_review")),
            Map.entry("request_changes", Map.of("under_review", "needs_changes")),
            Map.entry("resubmit", Map.of("needs_changes", "resubmitted")),
            Map.entry("approve_for_testing", Map.of("under_review", "approved_for_testing")),
            Map.entry("start_testing", Map.of("approved_for_testing", "testing")),
            Map.entry("confirm_test", Map.of("testing", "testing")),
            Map.entry("go_live", Map.of("test_passed", "in_production")),
            Map.entry("suspend", all(ACTIVE, "suspended")),
            Map.entry("resume", Map.of("suspended", "testing")),
            Map.entry("revoke", all(STATES.subList(0, 9), "revoked")),
            Map.entry("withdraw", all(PRE_PRODUCTION, "withdrawn")));
    static final Set<String> AGENCY_ACTIONS = Set.of("resubmit", "withdraw", "confirm_test");
    static final Set<String> OPERATOR_ACTIONS = Set.of("review", "request_changes", "approve_for_testing", "start_testing",
            "confirm_test", "go_live", "suspend", "resume", "revoke");

    String agency;
    String strangerAgency;

    static Map<String, String> all(List<String> from, String to) {
        Map<String, String> m = new java.util.HashMap<>();
        from.forEach(s -> m.put(s, to));
        return m;
    }

    /** Made on first use: RestAssured knows the app's port only once a test runs. */
    void agencies() {
        if (agency != null) {
            return;
        }
        agency = Fixtures.agency("Sở Ma trận", null);
        strangerAgency = Fixtures.agency("Sở Người lạ", null);
    }

    static Stream<Arguments> everyStateAndAction() {
        List<Arguments> out = new ArrayList<>();
        for (String state : STATES) {
            for (String action : LEGAL.keySet().stream().sorted().toList()) {
                out.add(Arguments.of(state, action));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{1} from {0}")
    @MethodSource("everyStateAndAction")
    void legalMovesAndIllegalOnesAre409(String state, String action) {
        agencies();
        String system = Fixtures.system(agency, false);
        String id = Fixtures.request(system, Fixtures.contact(system), TestJwt.operator());
        Fixtures.forceState(id, state, state.equals("suspended") ? "testing" : null);
        String token = OPERATOR_ACTIONS.contains(action) ? TestJwt.operator() : TestJwt.agencyAdmin(agency);
        String to = LEGAL.get(action).get(state);
        if (to != null) {
            Fixtures.act(id, action, token).statusCode(200).body("request.status", equalTo(to))
                    .body("request.history[-1].action", equalTo(action)).body("request.history[-1].from", equalTo(state));
        } else {
            Fixtures.act(id, action, token).statusCode(409).contentType("application/problem+json")
                    .body("type", equalTo("urn:lgsp:problem:illegal-transition"));
        }
    }

    static Stream<String> actions() {
        return LEGAL.keySet().stream().sorted();
    }

    @ParameterizedTest(name = "who may not {0}")
    @MethodSource("actions")
    void forbiddenRolesGet403(String action) {
        agencies();
        String system = Fixtures.system(agency, false);
        String id = Fixtures.request(system, Fixtures.contact(system), TestJwt.operator());
        String from = LEGAL.get(action).keySet().iterator().next();
        Fixtures.forceState(id, from, from.equals("suspended") ? "testing" : null);
        List<String> forbidden = new ArrayList<>(List.of(TestJwt.auditor(), TestJwt.agencyAdmin(strangerAgency),
                TestJwt.service("catalog")));
        if (!AGENCY_ACTIONS.contains(action)) {
            forbidden.add(TestJwt.agencyAdmin(agency));
        }
        if (!OPERATOR_ACTIONS.contains(action)) {
            forbidden.add(TestJwt.operator());
        }
        for (String token : forbidden) {
            Fixtures.act(id, action, token).statusCode(403).body("type", equalTo("urn:lgsp:problem:forbidden"));
        }
        // and the request did not move
        io.restassured.RestAssured.given().auth().oauth2(TestJwt.operator()).get("/api/v1/connection-requests/" + id).then()
                .body("status", equalTo(from));
    }
}
