package vn.lgsp.routing.gateway.step;

import static vn.lgsp.routing.support.Gateway.gateway;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.lgsp.common.audit.AuditEvent;
import vn.lgsp.common.audit.AuditPublisher;
import vn.lgsp.routing.support.Recorded;
import vn.lgsp.routing.support.RoutingTestResource;
import vn.lgsp.routing.support.Tokens;
import vn.lgsp.testing.TestJwt;

@QuarkusTest
@QuarkusTestResource(RoutingTestResource.class)
class EntitleStepTest {

    private static final String ACCESS_LEVEL = "urn:lgsp:problem:access-level";

    @Inject
    AuditPublisher publisher;

    /** A call of {@code system} (production), ready for the method; paths are sent as written (%2F stays). */
    private static RequestSpecification as(String system) {
        return gateway().urlEncodingEnabled(false).header("Authorization", Tokens.bearer(TestJwt.system(system,
                RoutingTestResource.CONSUMER_AGENCY, "production")));
    }

    private static int status(String system, String method, String path) {
        return as(system).request(method, path).statusCode();
    }

    /** Each method's status for {@code system} on {@code path}. */
    private static void assertStatuses(String system, String path, Map<String, Integer> expected) {
        expected.forEach((method, code) -> assertEquals(code, status(system, method, path),
                system + " " + method + " " + path));
    }

    @Test
    void anActiveSubscriptionPasses() {
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).get("/ho-tich/v1/x").then().statusCode(200);
    }

    @Test
    void noSubscriptionToThatVersionIs403() {
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).get("/ho-tich/v2/x").then().statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:lgsp:problem:not-subscribed"))
                .body("detail", containsString("HTTT-MOTCUA"));
    }

    @Test
    void aSuspendedSubscriptionIs403() {
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).get("/han-che/v1/x").then().statusCode(403);
    }

    @Test
    void onlyTheDaysOfThePeriodOfUseAreServed() throws InterruptedException {
        // The fixture's periods were set around the province's day the application started in; should midnight in
        // Asia/Ho_Chi_Minh (17:00 UTC) have passed since, they are set again around today's.
        java.time.LocalDate today = vn.lgsp.common.time.ProvinceCalendar.dateOf(java.time.Instant.now());
        RoutingTestResource.periodSubscriptions(today).forEach(s -> RoutingTestResource.platform().change("subscription", s));
        // The feed applies changes in order and PERIOD_LAST_DAY's comes last: once it is served, all three are in.
        long deadline = System.currentTimeMillis() + 3000;
        while (gateway().header("Authorization", Tokens.bearer(TestJwt.system(RoutingTestResource.PERIOD_LAST_DAY,
                RoutingTestResource.CONSUMER_AGENCY, "production"))).get("/ho-tich/v1/x").statusCode() != 200
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        gateway().header("Authorization", Tokens.bearer(TestJwt.system(RoutingTestResource.PERIOD_LAST_DAY,
                RoutingTestResource.CONSUMER_AGENCY, "production"))).get("/ho-tich/v1/x").then().statusCode(200);
        gateway().header("Authorization", Tokens.bearer(TestJwt.system(RoutingTestResource.PERIOD_OVER,
                RoutingTestResource.CONSUMER_AGENCY, "production"))).get("/ho-tich/v1/x").then().statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:lgsp:problem:not-subscribed"))
                .body("detail", containsString("period of use is over"));
        gateway().header("Authorization", Tokens.bearer(TestJwt.system(RoutingTestResource.PERIOD_AHEAD,
                RoutingTestResource.CONSUMER_AGENCY, "production"))).get("/ho-tich/v1/x").then().statusCode(403)
                .body("type", equalTo("urn:lgsp:problem:not-subscribed"))
                .body("detail", containsString("has not started"));
    }

    @Test
    void aSubscriptionInTheOtherEnvironmentIs403() {
        // Subscribed in production only: a test-environment token is not entitled.
        gateway().header("Authorization", Tokens.bearer(Tokens.consumerInTest())).get("/ho-tich/v1/x").then().statusCode(403);
        gateway().header("Authorization", Tokens.bearer(TestJwt.system("HTTT-LA", "000.00.00.H09", "production")))
                .get("/ho-tich/v1/x").then().statusCode(403);
    }

    /** REQUIREMENTS A3: with no rule, reading needs view, POST use, PUT/PATCH/DELETE update; each level includes the ones before. */
    @Test
    void eachLevelAllowsTheDefaultOperationsOfItselfAndTheLevelsBelow() {
        String path = "/ho-tich/v1/records/7";
        assertStatuses(RoutingTestResource.VIEWER, path,
                Map.of("GET", 200, "HEAD", 200, "POST", 403, "PUT", 403, "PATCH", 403, "DELETE", 403));
        assertStatuses(RoutingTestResource.USER, path,
                Map.of("GET", 200, "POST", 200, "PUT", 403, "PATCH", 403, "DELETE", 403));
        assertStatuses(RoutingTestResource.EDITOR, path,
                Map.of("GET", 200, "POST", 200, "PUT", 200, "PATCH", 200, "DELETE", 200));
        assertStatuses(RoutingTestResource.SHARER, path,
                Map.of("GET", 200, "POST", 200, "PUT", 200, "PATCH", 200, "DELETE", 200));
    }

    @Test
    void aRefusalIsAProblemNamingBothLevelsNeverReachesTheProviderAndIsRecorded() throws Exception {
        String requestId = "access-level-" + System.nanoTime();
        as(RoutingTestResource.VIEWER).header("X-Request-Id", requestId).put("/ho-tich/v1/records/7?secret=q").then()
                .statusCode(403).contentType("application/problem+json")
                .body("type", equalTo(ACCESS_LEVEL))
                .body("status", equalTo(403))
                .body("detail", equalTo("The subscription of system " + RoutingTestResource.VIEWER + " to ho-tich v1 "
                        + "grants view; PUT /records/7 requires update (ask the provider for a higher level)"));
        AuditEvent e = Recorded.byRequestId(publisher, requestId);
        assertEquals("access-level", e.errorType());
        assertEquals(403, e.status());
        assertEquals(RoutingTestResource.VIEWER, e.consumerSystem());
        assertFalse(RoutingTestResource.upstream().received().stream()
                .anyMatch(h -> requestId.equals(h.get("x-request-id"))), "a refused call never reaches the provider");
    }

    /** quy-tac v1's rules (RoutingTestResource.RULES) decide before the method's default. */
    @Test
    void aVersionsRulesDecideTheLevelOfTheOperationsTheyName() {
        String ruled = "/" + RoutingTestResource.RULED + "/v1";
        // a lookup sent as POST needs only view; another POST still needs use
        assertEquals(200, status(RoutingTestResource.VIEWER, "POST", ruled + "/search"));
        assertEquals(403, status(RoutingTestResource.VIEWER, "POST", ruled + "/khai-sinh"));
        assertEquals(200, status(RoutingTestResource.USER, "POST", ruled + "/khai-sinh"));
        // exports, any method, any depth, however the path is spelled: share
        for (String export : new String[] { "/export", "/export/2026/11", "/EXPORT/all", "/a/../export/all",
                "/export%2Fall" }) {
            assertEquals(403, status(RoutingTestResource.EDITOR, "GET", ruled + export), export);
            assertEquals(200, status(RoutingTestResource.SHARER, "GET", ruled + export), export);
        }
        as(RoutingTestResource.EDITOR).get(ruled + "/export/2026").then().statusCode(403)
                .body("type", equalTo(ACCESS_LEVEL))
                .body("detail", containsString("grants update; GET /export/2026 requires share"));
        // a record's history: update; the record itself: view by default; deleting one: share, not update
        assertEquals(403, status(RoutingTestResource.USER, "GET", ruled + "/records/5/history"));
        assertEquals(200, status(RoutingTestResource.EDITOR, "GET", ruled + "/records/5/history"));
        assertEquals(200, status(RoutingTestResource.VIEWER, "GET", ruled + "/records/5"));
        assertEquals(403, status(RoutingTestResource.EDITOR, "DELETE", ruled + "/records/5"));
        assertEquals(200, status(RoutingTestResource.SHARER, "DELETE", ruled + "/records/5"));
    }

    /** Some provider servers take these headers as the method: the operation needs the higher of both. */
    @Test
    void aMethodOverrideHeaderRaisesWhatTheOperationRequires() {
        as(RoutingTestResource.USER).header("X-HTTP-Method-Override", "delete").post("/ho-tich/v1/records/7").then()
                .statusCode(403).body("type", equalTo(ACCESS_LEVEL))
                .body("detail", containsString("POST /records/7 (X-HTTP-Method-Override: DELETE) requires update"));
        as(RoutingTestResource.VIEWER).header("X-Method-Override", "PUT").get("/ho-tich/v1/records/7").then()
                .statusCode(403);
        as(RoutingTestResource.VIEWER).header("X-HTTP-Method", "PATCH").get("/ho-tich/v1/records/7").then()
                .statusCode(403);
        // every item of every value counts, whichever one the provider's server would take
        as(RoutingTestResource.VIEWER).header("X-HTTP-Method-Override", "GET, DELETE").get("/ho-tich/v1/records/7")
                .then().statusCode(403);
        as(RoutingTestResource.VIEWER).header("X-HTTP-Method-Override", "GET").header("X-HTTP-Method-Override", "PUT")
                .get("/ho-tich/v1/records/7").then().statusCode(403);
        // the override is judged by the version's rules too: deleting a record of quy-tac needs share
        as(RoutingTestResource.EDITOR).header("X-HTTP-Method-Override", "DELETE")
                .post("/" + RoutingTestResource.RULED + "/v1/records/5").then().statusCode(403)
                .body("detail", containsString("requires share"));
        // it only ever raises: a PUT that says GET is still a PUT
        as(RoutingTestResource.VIEWER).header("X-HTTP-Method-Override", "GET").put("/ho-tich/v1/records/7").then()
                .statusCode(403);
        // and a level that covers it passes
        as(RoutingTestResource.EDITOR).header("X-HTTP-Method-Override", "DELETE").post("/ho-tich/v1/records/7").then()
                .statusCode(200);
        as(RoutingTestResource.VIEWER).header("X-HTTP-Method-Override", "GET").get("/ho-tich/v1/records/7").then()
                .statusCode(200);
    }

    /** A subscription with no level (from a catalog older than access levels) may do everything, as before. */
    @Test
    void aSubscriptionWithoutALevelIsUnrestricted() {
        String consumer = RoutingTestResource.CONSUMER;
        assertStatuses(consumer, "/ho-tich/v1/records/7",
                Map.of("GET", 200, "POST", 200, "PUT", 200, "PATCH", 200, "DELETE", 200));
        String ruled = "/" + RoutingTestResource.RULED + "/v1";
        assertStatuses(consumer, ruled + "/export/all", Map.of("GET", 200, "POST", 200));
        assertEquals(200, status(consumer, "DELETE", ruled + "/records/5"));
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).header("X-HTTP-Method-Override", "DELETE")
                .get(ruled + "/records/5").then().statusCode(200);
    }
}
