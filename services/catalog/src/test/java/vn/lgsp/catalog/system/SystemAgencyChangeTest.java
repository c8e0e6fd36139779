package vn.lgsp.catalog.system;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import vn.lgsp.catalog.Fixtures;
import vn.lgsp.catalog.RegistryStub;
import vn.lgsp.common.audit.AuditEvent;
import vn.lgsp.common.audit.AuditPublisher;
import vn.lgsp.testing.PlatformTestResource;
import vn.lgsp.testing.TestJwt;

@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
@QuarkusTestResource(RegistryStub.class)
class SystemAgencyChangeTest {

    private static final String REGISTRY = TestJwt.service("registry");
    private static final String ROUTING = TestJwt.service("routing");
    private static final String MERGE = "application/merge-patch+json; charset=UTF-8";

    @Inject
    AuditPublisher auditPublisher;

    /** Agencies and systems of their own, so moving them leaves the shared fixtures' agencies alone. */
    private static String uniqueAgency() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "%03d.%02d.%02d.M%02d".formatted(r.nextInt(1000), r.nextInt(100), r.nextInt(100), r.nextInt(100));
    }

    private static String providedService(String owner, String system) {
        String code = Fixtures.uniqueCode("moved");
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body(Fixtures.serviceJson(code, owner, system, "shared", false))
                .post("/api/v1/services").then().statusCode(201).body("ownerAgencyCode", equalTo(owner));
        return code;
    }

    private static String subscribe(String code, String system, String environment) {
        return given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body(Fixtures.subscriptionJson(code, "v1", system, environment, null))
                .post("/api/v1/subscriptions").then().statusCode(201).extract().path("id");
    }

    private static ValidatableResponse move(String token, String system, String body) {
        var request = given().contentType(ContentType.JSON).body(body);
        if (token != null) {
            request = request.auth().oauth2(token);
        }
        return request.put("/api/v1/systems/" + system + "/agency").then();
    }

    private static long revision() {
        return Long.parseLong(given().auth().oauth2(ROUTING).get("/api/v1/feed/snapshot").then().statusCode(200)
                .extract().path("revision").toString());
    }

    private static JsonPath changesSince(long since) {
        return given().auth().oauth2(ROUTING).queryParam("since", since).get("/api/v1/feed/changes").then().statusCode(200)
                .extract().jsonPath();
    }

    private static String etag(String code) {
        return given().auth().oauth2(TestJwt.operator()).get("/api/v1/services/" + code).then().statusCode(200)
                .extract().header("ETag");
    }

    private static String consumerAgency(String subscriptionId) {
        return given().auth().oauth2(TestJwt.operator()).get("/api/v1/subscriptions/" + subscriptionId).then()
                .statusCode(200).extract().path("consumerAgency");
    }

    private List<AuditEvent> agencyChangeAudits(String system) {
        return auditPublisher.snapshot().stream()
                .filter(e -> "system.agency-change".equals(e.action()) && system.equals(e.resourceId())).toList();
    }

    @Test
    void servicesAndOpenSubscriptionsFollowTheSystemToItsNewAgency() {
        String oldAgency = uniqueAgency();
        String newAgency = uniqueAgency();
        String system = Fixtures.uniqueCode("HTTT-MOVE");
        RegistryStub.register(system, oldAgency);

        // What the system provides: a published v1 and a draft v2, and another system's subscription to it.
        String provided = providedService(oldAgency, system);
        Fixtures.published(provided, "v1");
        Fixtures.version(provided, "v2");
        String theirs = Fixtures.subscribe(provided, "v1", "production", null);
        Fixtures.act(TestJwt.operator(), theirs, "approve", "{}").statusCode(200);

        // What it consumes, in each status: active, pending, suspended are open; ended is history.
        String other = Fixtures.service("shared", false);
        Fixtures.published(other, "v1");
        String another = Fixtures.service("shared", false);
        Fixtures.published(another, "v1");
        String active = subscribe(other, system, "production");
        Fixtures.act(TestJwt.operator(), active, "approve", "{}").statusCode(200);
        String pending = subscribe(other, system, "test");
        String suspended = subscribe(another, system, "production");
        Fixtures.act(TestJwt.operator(), suspended, "approve", "{}").statusCode(200);
        Fixtures.act(TestJwt.operator(), suspended, "suspend", "{}").statusCode(200);
        String ended = subscribe(another, system, "test");
        Fixtures.act(TestJwt.operator(), ended, "approve", "{}").statusCode(200);
        Fixtures.act(TestJwt.operator(), ended, "end", "{}").statusCode(200);
        assertEquals(oldAgency, consumerAgency(active));

        long since = revision();
        String etagBefore = etag(provided);
        RegistryStub.register(system, newAgency);

        move(REGISTRY, system, "{\"agencyCode\":\"" + newAgency + "\"}").statusCode(200)
                .body("systemCode", equalTo(system)).body("agencyCode", equalTo(newAgency))
                .body("servicesUpdated", equalTo(1)).body("subscriptionsUpdated", equalTo(3));

        // The rows.
        given().auth().oauth2(TestJwt.operator()).get("/api/v1/services/" + provided).then().statusCode(200)
                .body("ownerAgencyCode", equalTo(newAgency)).body("providerSystemCode", equalTo(system));
        assertNotEquals(etagBefore, etag(provided), "the moved service answers a new ETag");
        given().auth().oauth2(TestJwt.operator()).get("/api/v1/services/" + other).then()
                .body("ownerAgencyCode", equalTo(RegistryStub.PROVIDER_AGENCY));
        assertEquals(newAgency, consumerAgency(active));
        assertEquals(newAgency, consumerAgency(pending));
        assertEquals(newAgency, consumerAgency(suspended));
        assertEquals(oldAgency, consumerAgency(ended), "an ended subscription keeps the agency it had");
        assertEquals(RegistryStub.CONSUMER_AGENCY, consumerAgency(theirs), "another consumer of the service is not moved");

        // Lists filtered by agency.
        given().auth().oauth2(TestJwt.operator()).queryParam("ownerAgency", newAgency).get("/api/v1/services").then()
                .statusCode(200).body("items.code", equalTo(List.of(provided)));
        given().auth().oauth2(TestJwt.operator()).queryParam("ownerAgency", oldAgency).get("/api/v1/services").then()
                .statusCode(200).body("total", equalTo(0));

        // The change feed: every version of the moved service, and each moved subscription, with the new agency.
        JsonPath changes = changesSince(since);
        long afterMove = changes.getLong("revision");
        assertTrue(afterMove > since, "the snapshot revision moved");
        List<Map<String, Object>> routes = changes.getList("changes.findAll { it.kind == 'route' && it.data.serviceCode == '"
                + provided + "' }");
        assertEquals(Set.of(provided + ":v1", provided + ":v2"), routes.stream().map(c -> c.get("key")).collect(Collectors.toSet()));
        assertEquals(2, routes.size());
        routes.forEach(c -> assertEquals(newAgency, ((Map<?, ?>) c.get("data")).get("providerAgency")));
        List<Map<String, Object>> subs = changes.getList("changes.findAll { it.kind == 'subscription' }");
        Map<Object, Map<?, ?>> byId = subs.stream().collect(Collectors.toMap(c -> c.get("key"), c -> (Map<?, ?>) c.get("data")));
        assertEquals(Set.of(active, pending, suspended), byId.keySet(), "only the open subscriptions are announced");
        assertEquals(3, subs.size());
        byId.values().forEach(d -> assertEquals(newAgency, d.get("consumerAgency")));
        assertEquals("active", byId.get(active).get("status"));
        assertEquals("pending", byId.get(pending).get("status"));
        assertEquals("suspended", byId.get(suspended).get("status"));

        // routing's snapshot.
        given().auth().oauth2(ROUTING).get("/api/v1/feed/snapshot").then().statusCode(200)
                .body("revision", equalTo((int) afterMove))
                .body("routes.find { it.serviceCode == '" + provided + "' && it.version == 'v1' }.providerAgency", equalTo(newAgency))
                .body("subscriptions.find { it.id == '" + active + "' }.consumerAgency", equalTo(newAgency));

        // Audited once, by registry, with before and after.
        List<AuditEvent> audits = agencyChangeAudits(system);
        assertEquals(1, audits.size());
        AuditEvent audit = audits.get(0);
        assertEquals("service:registry", audit.actor());
        assertEquals("information_system", audit.resourceType());
        assertEquals(newAgency, audit.agencyCode());
        assertEquals(oldAgency, audit.before().path("agencyCode").asText());
        assertEquals(newAgency, audit.after().path("agencyCode").asText());
        assertEquals(List.of(provided), toList(audit.after().path("services")));
        assertEquals(3, audit.after().path("subscriptions").asInt());

        // Again with the same code: nothing to move, no feed entry, no audit.
        move(REGISTRY, system, "{\"agencyCode\":\"" + newAgency + "\"}").statusCode(200)
                .body("servicesUpdated", equalTo(0)).body("subscriptionsUpdated", equalTo(0));
        JsonPath again = changesSince(afterMove);
        assertEquals(0, again.getList("changes").size(), "an idempotent repeat appends nothing to the feed");
        assertEquals(afterMove, again.getLong("revision"));
        assertEquals(1, agencyChangeAudits(system).size(), "nothing changed, nothing audited");

        // Owner rights moved with the service: the new agency's admin may edit it and decide on its subscribers.
        String newAdmin = TestJwt.agencyAdmin(newAgency);
        String oldAdmin = TestJwt.agencyAdmin(oldAgency);
        String path = "/api/v1/services/" + provided;
        String current = etag(provided);
        given().auth().oauth2(oldAdmin).header("If-Match", current).contentType(MERGE).body("{\"name\":\"Cũ\"}")
                .patch(path).then().statusCode(403);
        given().auth().oauth2(newAdmin).header("If-Match", current).contentType(MERGE).body("{\"name\":\"Sau sáp nhập\"}")
                .patch(path).then().statusCode(200).body("name", equalTo("Sau sáp nhập")).body("ownerAgencyCode", equalTo(newAgency));
        Fixtures.act(oldAdmin, theirs, "suspend", "{}").statusCode(403);
        Fixtures.act(newAdmin, theirs, "suspend", "{}").statusCode(200).body("status", equalTo("suspended"));
    }

    /** Notifications and webhook deliveries of a moved subscription are the new agency's to read and redeliver. */
    @Test
    void whatWasSentToAMovedSubscriptionGoesAlong() throws Exception {
        String oldAgency = uniqueAgency();
        String newAgency = uniqueAgency();
        String system = Fixtures.uniqueCode("HTTT-NOTI");
        RegistryStub.register(system, oldAgency);
        String code = Fixtures.service("shared", false);
        Fixtures.published(code, "v1");
        String id = given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body(Fixtures.subscriptionJson(code, "v1", system, "production", RegistryStub.hookUrl("moved-" + code)))
                .post("/api/v1/subscriptions").then().statusCode(201).extract().path("id");
        Fixtures.act(TestJwt.operator(), id, "approve", "{}").statusCode(200);
        given().auth().oauth2(TestJwt.agencyAdmin(RegistryStub.PROVIDER_AGENCY)).contentType(ContentType.JSON)
                .body("{\"retireAt\":\"" + java.time.Instant.now().plus(java.time.Duration.ofDays(61)) + "\",\"comment\":\"x\"}")
                .post("/api/v1/services/" + code + "/versions/v1/retirement-notice").then().statusCode(200);
        String oldAdmin = TestJwt.agencyAdmin(oldAgency);
        String newAdmin = TestJwt.agencyAdmin(newAgency);
        long deadline = System.nanoTime() + 15_000_000_000L;
        List<Map<String, Object>> sent;
        do {
            Thread.sleep(100);
            sent = given().auth().oauth2(oldAdmin).queryParam("subscriptionId", id).get("/api/v1/webhook-deliveries")
                    .then().statusCode(200).extract().jsonPath().getList("items");
        } while ((sent.isEmpty() || "pending".equals(sent.get(0).get("status"))) && System.nanoTime() < deadline);
        assertEquals("delivered", sent.get(0).get("status"));
        Object deliveryId = sent.get(0).get("id");
        given().auth().oauth2(oldAdmin).queryParam("consumerSystem", system).get("/api/v1/notifications").then()
                .statusCode(200).body("items.subscriptionId", hasItem(id));

        RegistryStub.register(system, newAgency);
        move(REGISTRY, system, "{\"agencyCode\":\"" + newAgency + "\"}").statusCode(200).body("subscriptionsUpdated", equalTo(1));

        given().auth().oauth2(newAdmin).queryParam("consumerSystem", system).get("/api/v1/notifications").then()
                .statusCode(200).body("items.subscriptionId", hasItem(id)).body("items.consumerAgency", hasItem(newAgency));
        given().auth().oauth2(oldAdmin).queryParam("consumerSystem", system).get("/api/v1/notifications").then()
                .statusCode(200).body("items.subscriptionId", not(hasItem(id)));
        given().auth().oauth2(newAdmin).queryParam("subscriptionId", id).get("/api/v1/webhook-deliveries").then()
                .statusCode(200).body("items.id", hasItem(deliveryId)).body("items[0].consumerAgency", equalTo(newAgency));
        given().auth().oauth2(oldAdmin).get("/api/v1/webhook-deliveries/" + deliveryId).then().statusCode(404);
        given().auth().oauth2(oldAdmin).post("/api/v1/webhook-deliveries/" + deliveryId + "/redeliver").then().statusCode(404);
        given().auth().oauth2(newAdmin).post("/api/v1/webhook-deliveries/" + deliveryId + "/redeliver").then().statusCode(202)
                .body("consumerAgency", equalTo(newAgency));
    }

    @Test
    void aSystemCatalogNeverHeardOfIsNotAnError() {
        String system = Fixtures.uniqueCode("HTTT-NEVER");
        long since = revision();
        move(REGISTRY, system, "{\"agencyCode\":\"000.00.00.H62\"}").statusCode(200)
                .body("systemCode", equalTo(system)).body("agencyCode", equalTo("000.00.00.H62"))
                .body("servicesUpdated", equalTo(0)).body("subscriptionsUpdated", equalTo(0));
        assertEquals(since, revision());
        assertTrue(agencyChangeAudits(system).isEmpty());
    }

    @Test
    void onlyRegistryMayMoveAndBadInputIsNamed() {
        String agency = uniqueAgency();
        String system = Fixtures.uniqueCode("HTTT-STAY");
        RegistryStub.register(system, agency);
        String code = providedService(agency, system);
        String body = "{\"agencyCode\":\"000.00.00.H62\"}";
        String etag = etag(code);

        move(null, system, body).statusCode(401);
        move(TestJwt.operator(), system, body).statusCode(403).contentType(startsWith("application/problem+json"));
        move(ROUTING, system, body).statusCode(403).contentType(startsWith("application/problem+json"))
                .body("type", equalTo("urn:lgsp:problem:forbidden"));
        move(TestJwt.agencyAdmin(agency), system, body).statusCode(403);
        move(TestJwt.system(system, agency, "production"), system, body).statusCode(403);

        move(REGISTRY, system, "{\"agencyCode\":\"H62\"}").statusCode(400).contentType(startsWith("application/problem+json"))
                .body("errors[0].field", equalTo("agencyCode")).body("errors[0].rule", equalTo("pattern"));
        move(REGISTRY, system, "{}").statusCode(400).body("errors.field", hasItem("agencyCode"))
                .body("errors.rule", hasItem("notBlank"));
        move(REGISTRY, "x", body).statusCode(400).body("errors[0].field", equalTo("systemCode"))
                .body("errors[0].rule", equalTo("pattern"));

        // None of them moved anything.
        given().auth().oauth2(TestJwt.operator()).get("/api/v1/services/" + code).then().statusCode(200)
                .body("ownerAgencyCode", equalTo(agency)).header("ETag", equalTo(etag))
                .body("ownerAgencyCode", not(equalTo("000.00.00.H62")));
        assertTrue(agencyChangeAudits(system).isEmpty());
    }

    private static List<String> toList(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
