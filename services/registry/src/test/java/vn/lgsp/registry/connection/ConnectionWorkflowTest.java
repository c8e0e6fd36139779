package vn.lgsp.registry.connection;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import vn.lgsp.registry.AuthStub;
import vn.lgsp.registry.AuthStub.Call;
import vn.lgsp.registry.Fixtures;
import vn.lgsp.testing.PlatformTestResource;
import vn.lgsp.testing.TestJwt;

@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
@QuarkusTestResource(AuthStub.class)
class ConnectionWorkflowTest {

    @AfterEach
    void authBackToNormal() {
        AuthStub.mode = "ok";
    }

    @Test
    void fullPathIssuesCredentialsThroughAuth() {
        String agency = Fixtures.agency("Sở Tư pháp tỉnh", null);
        String admin = TestJwt.agencyAdmin(agency);
        String op = TestJwt.operator();
        String system = Fixtures.system(agency, false);
        String contact = Fixtures.contact(system);
        String id = Fixtures.request(system, contact, admin);

        Fixtures.act(id, "review", op).statusCode(200).body("request.status", equalTo("under_review"));
        Fixtures.act(id, "request_changes", op).statusCode(200).body("request.status", equalTo("needs_changes"));
        Fixtures.act(id, "resubmit", admin).statusCode(200).body("request.status", equalTo("resubmitted"));
        Fixtures.act(id, "review", op).statusCode(200);
        Fixtures.act(id, "approve_for_testing", op).statusCode(200).body("request.status", equalTo("approved_for_testing"))
                .body("credential", nullValue());
        assertTrue(AuthStub.callsFor(system).isEmpty(), "no credential before testing");

        Fixtures.act(id, "start_testing", op).statusCode(200).header("Cache-Control", "no-store")
                .body("request.status", equalTo("testing"))
                .body("credential.clientSecret", startsWith("cs_secret_")).body("credential.environment", equalTo("test"));
        List<Call> calls = AuthStub.callsFor(system);
        assertEquals(1, calls.size());
        assertEquals("/api/v1/credentials", calls.get(0).path());
        assertEquals("Bearer " + AuthStub.SERVICE_TOKEN, calls.get(0).authorization());
        assertEquals(agency, calls.get(0).body().getString("agencyCode"));
        assertEquals("test", calls.get(0).body().getString("environment"));
        assertEquals("client_secret", calls.get(0).body().getString("kind"));

        // test_passed needs both sides; each side confirms once
        Fixtures.act(id, "confirm_test", op).statusCode(200).body("request.status", equalTo("testing"))
                .body("request.testConfirmations.operator.by", equalTo("operator-1"));
        Fixtures.act(id, "confirm_test", op).statusCode(409);
        Fixtures.act(id, "go_live", op).statusCode(409).body("type", equalTo("urn:lgsp:problem:illegal-transition"));
        Fixtures.act(id, "confirm_test", admin).statusCode(200).body("request.status", equalTo("test_passed"));

        Fixtures.act(id, "go_live", op).statusCode(200).body("request.status", equalTo("in_production"))
                .body("credential.environment", equalTo("production"));
        calls = AuthStub.callsFor(system);
        assertEquals(2, calls.size());
        assertEquals("production", calls.get(1).body().getString("environment"));
        given().auth().oauth2(op).get("/api/v1/systems/" + system).then().body("status", equalTo("connected"));

        // the secret is not kept: reading the request never shows it
        given().auth().oauth2(TestJwt.auditor()).get("/api/v1/connection-requests/" + id).then().statusCode(200)
                .body("credential", nullValue()).body("status", equalTo("in_production"))
                .body("history.action", contains("submit", "review", "request_changes", "resubmit", "review", "approve_for_testing",
                        "start_testing", "confirm_test", "confirm_test", "go_live"))
                .body("history[0].to", equalTo("submitted")).body("history[0].from", nullValue())
                .body("history[3].role", equalTo("agency-admin")).body("history[3].actor", equalTo("admin-" + agency))
                .body("history[2].comment", equalTo("bước request_changes")).body("history[2].at", notNullValue());

        // suspension revokes both environments; resume goes back and re-issues production
        Fixtures.act(id, "suspend", op).statusCode(200).body("request.status", equalTo("suspended"))
                .body("request.suspendedFrom", equalTo("in_production"));
        calls = AuthStub.callsFor(system);
        assertEquals(List.of("/api/v1/credentials/revoke", "/api/v1/credentials/revoke"), calls.subList(2, 4).stream().map(Call::path).toList());
        assertEquals(List.of("test", "production"), calls.subList(2, 4).stream().map(c -> c.body().getString("environment")).toList());
        given().auth().oauth2(op).get("/api/v1/systems/" + system).then().body("status", equalTo("suspended"));
        Fixtures.act(id, "resume", op).statusCode(200).body("request.status", equalTo("in_production"))
                .body("credential.environment", equalTo("production"));
        Fixtures.act(id, "withdraw", admin).statusCode(409);
        Fixtures.act(id, "revoke", op).statusCode(200).body("request.status", equalTo("revoked"));
        given().auth().oauth2(op).get("/api/v1/systems/" + system).then().body("status", equalTo("revoked"));
        Fixtures.act(id, "resume", op).statusCode(409);
    }

    @Test
    void mandatorySystemsTakeTheShortenedPath() {
        String agency = Fixtures.agency("Văn phòng UBND tỉnh", null);
        String system = Fixtures.system(agency, true);
        String id = Fixtures.request(system, Fixtures.contact(system), TestJwt.agencyAdmin(agency));
        given().auth().oauth2(TestJwt.operator()).get("/api/v1/connection-requests/" + id).then().body("shortenedProcedure", equalTo(true));
        Fixtures.act(id, "approve_for_testing", TestJwt.operator()).statusCode(200).body("request.status", equalTo("approved_for_testing"));

        String normal = Fixtures.system(agency, false);
        String other = Fixtures.request(normal, Fixtures.contact(normal), TestJwt.agencyAdmin(agency));
        Fixtures.act(other, "approve_for_testing", TestJwt.operator()).statusCode(409)
                .body("type", equalTo("urn:lgsp:problem:illegal-transition"));
    }

    @Test
    void aRequestNeedsAContactPerson() {
        String agency = Fixtures.agency("Sở Y tế tỉnh", null);
        String system = Fixtures.system(agency, false);
        String body = """
                {"systemCode":"%s","purpose":"p","dataScope":"d","requestedServices":["dan-cu:v1"],"expectedFrequency":"f",
                 "technicalContactId":"%s"}""";
        given().auth().oauth2(TestJwt.agencyAdmin(agency)).contentType(ContentType.JSON)
                .body(body.formatted(system, "8c7e4a52-2a0e-4c55-9d55-0a4a7f1f0b11")).post("/api/v1/connection-requests")
                .then().statusCode(422).body("errors[0].rule", equalTo("contactRequired"));
        String other = Fixtures.system(agency, false);
        String foreignContact = Fixtures.contact(other);
        Fixtures.contact(system);
        given().auth().oauth2(TestJwt.agencyAdmin(agency)).contentType(ContentType.JSON)
                .body(body.formatted(system, foreignContact)).post("/api/v1/connection-requests")
                .then().statusCode(422).body("errors[0].field", equalTo("technicalContactId"));
        given().auth().oauth2(TestJwt.agencyAdmin(agency)).contentType(ContentType.JSON)
                .body(body.formatted(system, foreignContact).replace("dan-cu:v1", "Dan Cu")).post("/api/v1/connection-requests")
                .then().statusCode(400).body("errors[0].field", equalTo("requestedServices[0]"));
        // a contact in use as technical contact cannot be deleted; a second open request is refused
        String id = Fixtures.request(other, foreignContact, TestJwt.agencyAdmin(agency));
        given().auth().oauth2(TestJwt.operator()).delete("/api/v1/systems/" + other + "/contacts/" + foreignContact).then().statusCode(409);
        given().auth().oauth2(TestJwt.agencyAdmin(agency)).contentType(ContentType.JSON)
                .body(body.formatted(other, foreignContact)).post("/api/v1/connection-requests").then().statusCode(409);
        Fixtures.act(id, "withdraw", TestJwt.agencyAdmin(agency)).statusCode(200).body("request.status", equalTo("withdrawn"));
        Fixtures.request(other, foreignContact, TestJwt.agencyAdmin(agency));
        // another agency's admin cannot submit for this system
        String stranger = Fixtures.agency("Sở khác", null);
        given().auth().oauth2(TestJwt.agencyAdmin(stranger)).contentType(ContentType.JSON)
                .body(body.formatted(system, foreignContact)).post("/api/v1/connection-requests").then().statusCode(403);
    }

    @Test
    void whenAuthFailsNothingMoves() {
        String agency = Fixtures.agency("Sở Xây dựng tỉnh", null);
        String system = Fixtures.system(agency, false);
        String id = Fixtures.request(system, Fixtures.contact(system), TestJwt.agencyAdmin(agency));
        Fixtures.forceState(id, "approved_for_testing", null);
        AuthStub.mode = "drop";
        Fixtures.act(id, "start_testing", TestJwt.operator()).statusCode(503).contentType("application/problem+json")
                .body("type", equalTo("urn:lgsp:problem:unavailable"));
        AuthStub.mode = "refuse";
        Fixtures.act(id, "start_testing", TestJwt.operator()).statusCode(502).body("type", equalTo("urn:lgsp:problem:bad-gateway"));
        given().auth().oauth2(TestJwt.operator()).get("/api/v1/connection-requests/" + id).then()
                .body("status", equalTo("approved_for_testing")).body("history", org.hamcrest.Matchers.hasSize(1));
        AuthStub.mode = "ok";
        Fixtures.act(id, "start_testing", TestJwt.operator()).statusCode(200).body("request.status", equalTo("testing"));
    }

    @Test
    void staleIfMatchAndConcurrentOperatorsCannotBothMoveIt() throws Exception {
        String agency = Fixtures.agency("Sở Công an", null);
        String system = Fixtures.system(agency, false);
        String id = Fixtures.request(system, Fixtures.contact(system), TestJwt.agencyAdmin(agency));
        String etag = given().auth().oauth2(TestJwt.operator()).get("/api/v1/connection-requests/" + id).then().extract().header("ETag");
        Fixtures.act(id, "review", TestJwt.operator()).statusCode(200);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).header("If-Match", etag)
                .body("{\"action\":\"request_changes\"}").post("/api/v1/connection-requests/" + id + "/transitions")
                .then().statusCode(412);

        // two operators approve at once: exactly one wins, the other sees the new state
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                tasks.add(() -> Fixtures.act(id, "approve_for_testing", TestJwt.operator()).extract().statusCode());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(tasks)) {
                statuses.add(f.get());
            }
            assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
            assertEquals(3, statuses.stream().filter(s -> s == 409).count(), statuses.toString());
        } finally {
            pool.shutdownNow();
        }
        given().auth().oauth2(TestJwt.operator()).get("/api/v1/connection-requests/" + id).then()
                .body("history.action", contains("submit", "review", "approve_for_testing"));
    }

    @Test
    void listsAreScopedAndFiltered() {
        String agency = Fixtures.agency("Sở Tài chính (DS)", null);
        String other = Fixtures.agency("Sở Khác (DS)", null);
        String system = Fixtures.system(agency, false);
        String id = Fixtures.request(system, Fixtures.contact(system), TestJwt.agencyAdmin(agency));
        given().auth().oauth2(TestJwt.agencyAdmin(agency)).queryParam("status", "submitted").get("/api/v1/connection-requests")
                .then().statusCode(200).body("items.id", contains(id));
        given().auth().oauth2(TestJwt.agencyAdmin(other)).get("/api/v1/connection-requests").then().body("total", equalTo(0));
        given().auth().oauth2(TestJwt.agencyAdmin(other)).get("/api/v1/connection-requests/" + id).then().statusCode(403);
        given().auth().oauth2(TestJwt.auditor()).queryParam("systemCode", system).get("/api/v1/connection-requests")
                .then().body("items.id", contains(id));
        given().auth().oauth2(TestJwt.operator()).queryParam("status", "flying").get("/api/v1/connection-requests").then().statusCode(400);
        given().auth().oauth2(TestJwt.operator()).get("/api/v1/connection-requests/not-a-uuid").then().statusCode(404);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body("{\"action\":\"teleport\"}")
                .post("/api/v1/connection-requests/" + id + "/transitions").then().statusCode(400).body("errors[0].field", equalTo("action"));
    }
}
