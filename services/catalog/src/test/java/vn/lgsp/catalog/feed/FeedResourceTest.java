package vn.lgsp.catalog.feed;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import vn.lgsp.catalog.Fixtures;
import vn.lgsp.catalog.RegistryStub;
import vn.lgsp.testing.PlatformTestResource;
import vn.lgsp.testing.TestJwt;

@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
@QuarkusTestResource(RegistryStub.class)
class FeedResourceTest {

    private static final String ROUTING = TestJwt.service("routing");

    private static long revision() {
        return Long.parseLong(given().auth().oauth2(ROUTING).get("/api/v1/feed/snapshot").then().statusCode(200)
                .extract().path("revision").toString());
    }

    @Test
    void snapshotHasRoutesAndActiveSubscriptionsWithAnEtag() {
        String code = Fixtures.service("shared", false);
        Fixtures.version(code, "v9");
        Fixtures.published(code, "v1");
        String id = Fixtures.subscribe(code, "v1", "production", null);
        Fixtures.act(TestJwt.operator(), id, "approve", "{}").statusCode(200);

        var response = given().auth().oauth2(ROUTING).get("/api/v1/feed/snapshot").then().statusCode(200)
                .body("routes.findAll { it.serviceCode == '" + code + "' }.version", equalTo(List.of("v1")))
                .body("routes.find { it.serviceCode == '" + code + "' }.providerAgency", equalTo(RegistryStub.PROVIDER_AGENCY))
                .body("routes.find { it.serviceCode == '" + code + "' }.upstreams.production", equalTo("https://provider.example/api"))
                .body("subscriptions.id", hasItem(id))
                .body("subscriptions.find { it.id == '" + id + "' }.requestsPerSecond", equalTo(5))
                .extract();
        String etag = response.header("ETag");
        assertEquals("\"" + response.path("revision") + "\"", etag);
        given().auth().oauth2(ROUTING).header("If-None-Match", etag).get("/api/v1/feed/snapshot").then().statusCode(304);
        given().auth().oauth2(TestJwt.agencyAdmin(RegistryStub.PROVIDER_AGENCY)).get("/api/v1/feed/snapshot").then().statusCode(403);
        given().get("/api/v1/feed/snapshot").then().statusCode(401);
    }

    @Test
    void suspendAndResumeAppearInTheChangesInOrder() {
        String code = Fixtures.service("shared", false);
        Fixtures.published(code, "v1");
        String id = Fixtures.subscribe(code, "v1", "production", null);
        Fixtures.act(TestJwt.operator(), id, "approve", "{}").statusCode(200);
        long since = revision();

        Fixtures.act(TestJwt.operator(), id, "suspend", "{}").statusCode(200);
        given().auth().oauth2(ROUTING).get("/api/v1/feed/snapshot").then().body("subscriptions.id", not(hasItem(id)));
        Fixtures.act(TestJwt.operator(), id, "resume", "{}").statusCode(200);

        JsonPath changes = given().auth().oauth2(ROUTING).queryParam("since", since).get("/api/v1/feed/changes")
                .then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> mine = changes.getList("changes.findAll { it.key == '" + id + "' }");
        assertEquals(2, mine.size());
        assertEquals("subscription", mine.get(0).get("kind"));
        assertEquals("suspended", ((Map<?, ?>) mine.get(0).get("data")).get("status"));
        assertEquals("active", ((Map<?, ?>) mine.get(1).get("data")).get("status"));
        assertTrue(((Number) mine.get(0).get("seq")).longValue() < ((Number) mine.get(1).get("seq")).longValue());
        long revision = changes.getLong("revision");
        given().auth().oauth2(ROUTING).queryParam("since", revision).get("/api/v1/feed/changes").then().statusCode(200)
                .body("changes.size()", equalTo(0)).body("revision", equalTo((int) revision));
    }

    @Test
    void longPollReturnsAsSoonAsAChangeArrives() throws Exception {
        String code = Fixtures.service("shared", false);
        Fixtures.published(code, "v1");
        long since = revision();
        CompletableFuture<JsonPath> poll = CompletableFuture.supplyAsync(() -> given().auth().oauth2(ROUTING)
                .queryParam("since", since).queryParam("waitSeconds", 20).get("/api/v1/feed/changes")
                .then().statusCode(200).extract().jsonPath());
        Thread.sleep(500);
        long started = System.nanoTime();
        Fixtures.version(code, "v2");
        JsonPath result = poll.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue((System.nanoTime() - started) / 1_000_000 < 5000, "the change arrived well before the wait ended");
        assertEquals(code + ":v2", result.getString("changes[0].key"));
        assertEquals("draft", result.getString("changes[0].data.status"));
    }

    @Test
    void badOrStaleRevisionsAreProblems() {
        given().auth().oauth2(ROUTING).get("/api/v1/feed/changes").then().statusCode(400).body("errors[0].field", equalTo("since"));
        given().auth().oauth2(ROUTING).queryParam("since", 0).queryParam("waitSeconds", 26).get("/api/v1/feed/changes")
                .then().statusCode(400).body("errors[0].field", equalTo("waitSeconds"));
        given().auth().oauth2(ROUTING).queryParam("since", revision() + 1000).get("/api/v1/feed/changes").then()
                .statusCode(410).body("type", equalTo("urn:lgsp:problem:gone"));
    }

    @Test
    void routesCarryMaxConnectionsInTheSnapshotAndTheChanges() {
        String code = Fixtures.service("shared", false);
        long since = revision();
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body("""
                {"version":"v1","upstreams":{"test":"http://127.0.0.1:9/test","production":"https://provider.example/api"},
                 "maxConnections":300}""").post("/api/v1/services/" + code + "/versions").then().statusCode(201);
        Fixtures.transition(TestJwt.operator(), code, "v1", "{\"to\":\"testing\"}").statusCode(200);
        Fixtures.transition(TestJwt.operator(), code, "v1", "{\"to\":\"published\"}").statusCode(200);
        Fixtures.published(code, "v2");

        JsonPath snap = given().auth().oauth2(ROUTING).get("/api/v1/feed/snapshot").then().statusCode(200).extract().jsonPath();
        String route = "routes.find { it.serviceCode == '" + code + "' && it.version == '%s' }.maxConnections";
        assertEquals(300, snap.getInt(route.formatted("v1")));
        assertEquals(64, snap.getInt(route.formatted("v2")), "the default when the provider did not set it");

        // Every route change carries it: creation and each lifecycle step.
        JsonPath changes = given().auth().oauth2(ROUTING).queryParam("since", since).get("/api/v1/feed/changes")
                .then().statusCode(200).extract().jsonPath();
        List<Integer> v1 = changes.getList("changes.findAll { it.key == '" + code + ":v1' }.data.maxConnections", Integer.class);
        List<Integer> v2 = changes.getList("changes.findAll { it.key == '" + code + ":v2' }.data.maxConnections", Integer.class);
        assertEquals(List.of(300, 300, 300), v1);
        assertEquals(List.of(64, 64, 64), v2);

        // An edit reaches the feed as a new route entry with the new value.
        long beforeEdit = changes.getLong("revision");
        String etag = given().auth().oauth2(TestJwt.operator()).get("/api/v1/services/" + code + "/versions/v1").then()
                .statusCode(200).extract().header("ETag");
        given().auth().oauth2(TestJwt.operator()).header("If-Match", etag).contentType("application/merge-patch+json")
                .body("{\"maxConnections\":120}").patch("/api/v1/services/" + code + "/versions/v1").then().statusCode(200);
        JsonPath edited = given().auth().oauth2(ROUTING).queryParam("since", beforeEdit).get("/api/v1/feed/changes")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of(120), edited.getList("changes.findAll { it.key == '" + code + ":v1' }.data.maxConnections",
                Integer.class));
        assertEquals(120, given().auth().oauth2(ROUTING).get("/api/v1/feed/snapshot").then().statusCode(200).extract()
                .jsonPath().getInt(route.formatted("v1")));
    }
}
