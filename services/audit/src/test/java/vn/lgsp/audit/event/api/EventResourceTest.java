package vn.lgsp.audit.event.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import vn.lgsp.testing.PlatformTestResource;
import vn.lgsp.testing.TestJwt;

@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
class EventResourceTest {

    private static final String UUID_PATTERN = "@@none@@";

    private static String transaction(UUID id, String consumerAgency, String requestId, int status) {
        return """
                {"eventId":"%s","type":"transaction","occurredAt":"%s","source":"routing","requestId":"%s",
                 "consumerSystem":"HTTT-A","consumerAgency":"%s","providerSystem":"HTTT-B","providerAgency":"000.00.00.H02",
                 "serviceCode":"dan-cu","serviceVersion":"v1","environment":"production","method":"GET",
                 "path":"/dan-cu/v1/x","status":%d,"latencyMs":7}""".formatted(id, Instant.now(), requestId, consumerAgency, status);
    }

    /** The events of one request id, waiting up to 5 s for at least {@code atLeast} (some are written asynchronously). */
    private static java.util.List<Map<String, Object>> eventsOf(String requestId, int atLeast) throws InterruptedException {
        java.util.List<Map<String, Object>> items = java.util.List.of();
        for (int i = 0; i < 100; i++) {
            items = given().auth().oauth2(TestJwt.auditor()).queryParam("requestId", requestId).get("/api/v1/events")
                    .then().statusCode(200).extract().jsonPath().getList("items.event");
            if (items.size() >= atLeast) {
                break;
            }
            Thread.sleep(50);
        }
        return items;
    }

    @Test
    void credentialsRefusedOnAuditsOwnApiAreInItsOwnLog() throws InterruptedException {
        String claimed = "forged-" + UUID.randomUUID().toString().substring(0, 8);
        String forged = "req-forged-" + UUID.randomUUID();
        String expired = "req-expired-" + UUID.randomUUID();
        String anonymous = "req-anonymous-" + UUID.randomUUID();
        given().auth().oauth2(TestJwt.signedByStranger(claimed, Set.of("operator"))).header("X-Request-Id", forged)
                .get("/api/v1/events").then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(TestJwt.expired(claimed, Set.of("operator"))).header("X-Request-Id", expired)
                .get("/api/v1/events").then().statusCode(401);
        given().header("X-Request-Id", anonymous).get("/api/v1/events").then().statusCode(401);

        Map<String, Object> f = eventsOf(forged, 1).get(0);
        assertEquals("auth_failure", f.get("type"));
        assertEquals("audit", f.get("source"));
        assertEquals(claimed, f.get("clientId"), "the identity the token claimed");
        assertEquals("invalid-token", f.get("errorType"));
        assertEquals(401, f.get("status"));
        assertEquals("GET", f.get("method"));
        assertEquals("/api/v1/events", f.get("path"));
        String detail = f.get("detail").toString();
        assertTrue(detail.contains("not verified") && detail.contains(" (from "), detail);
        assertFalse(detail.contains("eyJ"), "never the token itself");
        Map<String, Object> e = eventsOf(expired, 1).get(0);
        assertTrue(e.get("detail").toString().startsWith("bearer token expired at "), e.get("detail").toString());
        // no credentials is a challenge, not a refused credential (written in order: the others are already there)
        assertEquals(0, eventsOf(anonymous, 0).size());
    }

    @Test
    void ingestIsIdempotentByEventId() {
        UUID id = UUID.randomUUID();
        String requestId = "req-" + UUID.randomUUID();
        String body = "{\"events\":[" + transaction(id, "000.00.00.H01", requestId, 200) + "]}";
        given().auth().oauth2(TestJwt.service("routing")).contentType(ContentType.JSON).body(body)
                .post("/api/v1/events/batch")
                .then().statusCode(200).body("received", equalTo(1)).body("stored", equalTo(1)).body("duplicates", equalTo(0));
        given().auth().oauth2(TestJwt.service("routing")).contentType(ContentType.JSON).body(body)
                .post("/api/v1/events/batch")
                .then().statusCode(200).body("stored", equalTo(0)).body("duplicates", equalTo(1));

        given().auth().oauth2(TestJwt.operator()).queryParam("requestId", requestId)
                .get("/api/v1/events")
                .then().statusCode(200).body("items", hasSize(1))
                .body("items[0].event.eventId", equalTo(id.toString()))
                .body("items[0].event.status", equalTo(200))
                .body("items[0].seq", notNullValue());
    }

    @Test
    void aResentBatchWithNewEventsStoresOnlyTheNewOnes() {
        String requestId = "req-" + UUID.randomUUID();
        String first = transaction(UUID.randomUUID(), "000.00.00.H01", requestId, 200);
        String second = transaction(UUID.randomUUID(), "000.00.00.H01", requestId, 502);
        given().auth().oauth2(TestJwt.service("routing")).contentType(ContentType.JSON)
                .body("{\"events\":[" + first + "]}").post("/api/v1/events/batch")
                .then().statusCode(200).body("stored", equalTo(1));
        // the plain insert hits the stored event, so the writer redoes the transaction skipping it
        given().auth().oauth2(TestJwt.service("routing")).contentType(ContentType.JSON)
                .body("{\"events\":[" + first + "," + second + "]}").post("/api/v1/events/batch")
                .then().statusCode(200).body("received", equalTo(2)).body("stored", equalTo(1))
                .body("duplicates", equalTo(1));

        given().auth().oauth2(TestJwt.operator()).queryParam("requestId", requestId)
                .get("/api/v1/events")
                .then().statusCode(200).body("items", hasSize(2)).body("items.event.status", hasItem(502));
    }

    @Test
    void invalidEventsAreNamedAndNothingIsStored() {
        String requestId = "req-" + UUID.randomUUID();
        String good = transaction(UUID.randomUUID(), "000.00.00.H01", requestId, 200);
        String bad = "{\"eventId\":\"" + UUID.randomUUID() + "\",\"type\":\"teleport\",\"occurredAt\":\"" + Instant.now()
                + "\",\"source\":\"routing\"}";
        given().auth().oauth2(TestJwt.service("routing")).contentType(ContentType.JSON)
                .body("{\"events\":[" + good + "," + bad + "]}")
                .post("/api/v1/events/batch")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:lgsp:problem:validation-failed"))
                .body("errors.field", hasItem("events[1].type"))
                .body("errors.rule", hasItem("enum"));
        given().auth().oauth2(TestJwt.operator()).queryParam("requestId", requestId)
                .get("/api/v1/events").then().statusCode(200).body("items", hasSize(0));
    }

    @Test
    void malformedJsonAndUnknownFieldsAreProblems() {
        given().auth().oauth2(TestJwt.service("routing")).contentType(ContentType.JSON).body("{\"events\": [")
                .post("/api/v1/events/batch")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:lgsp:problem:malformed-body"));
        given().auth().oauth2(TestJwt.service("routing")).contentType(ContentType.JSON).body("{\"events\": [], \"extra\": 1}")
                .post("/api/v1/events/batch")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("extra"))
                .body("errors[0].rule", equalTo("unknown-field"));
    }

    @Test
    void onlyServicesIngestAndAnonymousCallersAreRefused() {
        String body = "{\"events\":[" + transaction(UUID.randomUUID(), "000.00.00.H01", "r-12345678", 200) + "]}";
        given().contentType(ContentType.JSON).body(body).post("/api/v1/events/batch")
                .then().statusCode(401).contentType("application/problem+json")
                .body("type", equalTo("urn:lgsp:problem:unauthenticated"));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body(body).post("/api/v1/events/batch")
                .then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(TestJwt.signedByStranger("service:routing", Set.of("service"))).contentType(ContentType.JSON)
                .body(body).post("/api/v1/events/batch")
                .then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(TestJwt.expired("service:routing", Set.of("service"))).contentType(ContentType.JSON)
                .body(body).post("/api/v1/events/batch")
                .then().statusCode(401);
    }

    @Test
    void agencyAdminSeesOnlyItsOwnAgencysRecords() {
        String requestId = "req-" + UUID.randomUUID();
        String body = "{\"events\":[" + transaction(UUID.randomUUID(), "000.00.00.H11", requestId, 200) + ","
                + transaction(UUID.randomUUID(), "000.00.00.H12", requestId, 503) + "]}";
        given().auth().oauth2(TestJwt.service("routing")).contentType(ContentType.JSON).body(body)
                .post("/api/v1/events/batch").then().statusCode(200).body("stored", equalTo(2));

        given().auth().oauth2(TestJwt.agencyAdmin("000.00.00.H11")).queryParam("requestId", requestId)
                .get("/api/v1/events").then().statusCode(200)
                .body("items", hasSize(1)).body("items.event.consumerAgency", contains("000.00.00.H11"));
        given().auth().oauth2(TestJwt.auditor()).queryParam("requestId", requestId)
                .get("/api/v1/events").then().statusCode(200).body("items", hasSize(2));
    }

    @Test
    void cursorPagingWalksEveryRecordOnce() {
        String requestId = "req-" + UUID.randomUUID();
        StringBuilder body = new StringBuilder("{\"events\":[");
        for (int i = 0; i < 5; i++) {
            body.append(i == 0 ? "" : ",").append(transaction(UUID.randomUUID(), "000.00.00.H01", requestId, 200 + i));
        }
        body.append("]}");
        given().auth().oauth2(TestJwt.service("routing")).contentType(ContentType.JSON).body(body.toString())
                .post("/api/v1/events/batch").then().statusCode(200).body("stored", equalTo(5));

        String cursor = given().auth().oauth2(TestJwt.operator()).queryParams(Map.of("requestId", requestId, "limit", 3))
                .get("/api/v1/events").then().statusCode(200).body("items", hasSize(3))
                .extract().path("nextCursor");
        given().auth().oauth2(TestJwt.operator()).queryParams(Map.of("requestId", requestId, "limit", 3, "cursor", cursor))
                .get("/api/v1/events").then().statusCode(200).body("items", hasSize(2))
                .body("nextCursor", nullValue());
    }

    @Test
    void queriesAreBounded() {
        given().auth().oauth2(TestJwt.operator())
                .queryParams(Map.of("from", "2024-01-01T00:00:00Z", "to", "2026-01-01T00:00:00Z"))
                .get("/api/v1/events").then().statusCode(400)
                .body("errors[0].field", equalTo("to")).body("errors[0].rule", equalTo("maxRange"));
        given().auth().oauth2(TestJwt.operator()).queryParam("limit", 100000)
                .get("/api/v1/events").then().statusCode(400).body("errors[0].field", equalTo("limit"));
        given().auth().oauth2(TestJwt.operator()).queryParam("from", "yesterday")
                .get("/api/v1/events").then().statusCode(400).body("errors[0].rule", equalTo("format"));
        given().auth().oauth2(TestJwt.operator()).queryParam("cursor", "!!")
                .get("/api/v1/events").then().statusCode(400).body("errors[0].field", equalTo("cursor"));
    }

    @Test
    void badFieldsAreNamedWithTheirRule() {
        String base = transaction(UUID.randomUUID(), "000.00.00.H01", "r-bad-1", 200);
        String badMode = base.replace("\"latencyMs\":7", "\"latencyMs\":7,\"mode\":\"carrier-pigeon\"");
        String nul = base.replace("\"path\":\"/dan-cu/v1/x\"", "\"path\":\"/a\\u0000b\"");
        String old = base.replace(base.substring(base.indexOf("\"occurredAt\":\""), base.indexOf("\",\"source\"") + 1),
                "\"occurredAt\":\"2020-01-01T00:00:00Z\"");
        given().auth().oauth2(TestJwt.service("routing")).contentType(ContentType.JSON)
                .body("{\"events\":[" + badMode + "," + nul.replace(UUID_PATTERN, UUID.randomUUID().toString()) + "," + old + "]}")
                .post("/api/v1/events/batch")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.find { it.field == 'events[0].mode' }.rule", equalTo("enum"))
                .body("errors.find { it.field == 'events[1].path' }.rule", equalTo("noNulCharacter"))
                .body("errors.find { it.field == 'events[2].occurredAt' }.rule", equalTo("withinRetention"));
        StringBuilder big = new StringBuilder("{\"events\":[");
        for (int i = 0; i < 1001; i++) {
            big.append(i == 0 ? "" : ",").append(transaction(UUID.randomUUID(), "000.00.00.H01", "r-big", 200));
        }
        given().auth().oauth2(TestJwt.service("routing")).contentType(ContentType.JSON).body(big.append("]}").toString())
                .post("/api/v1/events/batch").then().statusCode(400)
                .body("errors[0].field", equalTo("events")).body("errors[0].rule", equalTo("size"));
    }

    @Test
    void repeatsInsideOneBatchAreDuplicatesAndModeIsKept() {
        UUID id = UUID.randomUUID();
        String requestId = "req-" + UUID.randomUUID();
        String one = transaction(id, "000.00.00.H01", requestId, 200).replace("\"latencyMs\":7", "\"latencyMs\":7,\"mode\":\"async\"");
        given().auth().oauth2(TestJwt.service("routing")).contentType(ContentType.JSON)
                .body("{\"events\":[" + one + "," + one + "]}").post("/api/v1/events/batch")
                .then().statusCode(200).body("received", equalTo(2)).body("stored", equalTo(1)).body("duplicates", equalTo(1));
        given().auth().oauth2(TestJwt.operator()).queryParam("requestId", requestId).get("/api/v1/events")
                .then().statusCode(200).body("items", hasSize(1)).body("items[0].event.mode", equalTo("async"));
    }
}
