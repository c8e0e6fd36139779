package vn.lgsp.catalog.version;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.lgsp.catalog.Fixtures;
import vn.lgsp.catalog.RegistryStub;
import vn.lgsp.common.audit.AuditPublisher;
import vn.lgsp.testing.PlatformTestResource;
import vn.lgsp.testing.TestJwt;

/** Editing a version after creation: what each lifecycle state allows, who may, ETags, feed and audit. */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
@QuarkusTestResource(RegistryStub.class)
class VersionEditTest {

    private static final String MERGE = "application/merge-patch+json; charset=UTF-8";
    private static final String ROUTING = TestJwt.service("routing");
    private static final String OWNER = TestJwt.agencyAdmin(RegistryStub.PROVIDER_AGENCY);

    @Inject
    AuditPublisher auditPublisher;

    private static String path(String code, String version) {
        return "/api/v1/services/" + code + "/versions/" + version;
    }

    private static String etag(String code, String version) {
        return given().auth().oauth2(TestJwt.operator()).get(path(code, version)).then().statusCode(200).extract().header("ETag");
    }

    private static long revision() {
        return Long.parseLong(given().auth().oauth2(ROUTING).get("/api/v1/feed/snapshot").then().statusCode(200)
                .extract().path("revision").toString());
    }

    @Test
    void draftTakesAnyChangeWithTheCurrentEtagOnly() {
        String code = Fixtures.service("master", true);
        Fixtures.version(code, "v1");
        String p = path(code, "v1");
        assertEquals("\"1\"", etag(code, "v1"));
        given().auth().oauth2(OWNER).contentType(MERGE).body("{\"timeoutMs\":20000}").patch(p).then().statusCode(428)
                .contentType("application/problem+json").body("type", equalTo("urn:lgsp:problem:precondition-required"));
        given().auth().oauth2(OWNER).header("If-Match", "\"9\"").contentType(MERGE).body("{\"timeoutMs\":20000}").patch(p)
                .then().statusCode(412);
        given().auth().oauth2(TestJwt.agencyAdmin(RegistryStub.THIRD_AGENCY)).header("If-Match", "\"1\"").contentType(MERGE)
                .body("{\"timeoutMs\":20000}").patch(p).then().statusCode(403);
        given().auth().oauth2(TestJwt.auditor()).header("If-Match", "\"1\"").contentType(MERGE)
                .body("{\"timeoutMs\":20000}").patch(p).then().statusCode(403);
        given().auth().oauth2(TestJwt.system(RegistryStub.CONSUMER_SYSTEM, RegistryStub.CONSUMER_AGENCY, "production")).header("If-Match", "\"1\"").contentType(MERGE)
                .body("{\"timeoutMs\":20000}").patch(p).then().statusCode(403);

        given().auth().oauth2(OWNER).header("If-Match", "\"1\"").contentType(MERGE).body("""
                {"timeoutMs":20000,"requestFormat":"xml","responseFormat":"xml","convert":true,"maxRequestBytes":2048,
                 "upstreams":{"production":"https://provider2.example/api"},
                 "upstreamAuth":{"type":"static_header","headerName":"X-Api-Key","secretRef":"dancu-key"},
                 "rateLimit":{"burst":50},
                 "openapi":{"openapi":"3.0.3","info":{"title":"Dân cư","version":"2"},"paths":{"/a":{"get":{"responses":{"200":{"description":"OK"}}}}}}}""")
                .patch(p).then().statusCode(200).header("ETag", equalTo("\"2\""))
                .body("timeoutMs", equalTo(20000)).body("requestFormat", equalTo("xml")).body("convert", equalTo(true))
                .body("maxRequestBytes", equalTo(2048)).body("upstreams.production", equalTo("https://provider2.example/api"))
                .body("upstreams.test", equalTo("http://127.0.0.1:9/test")) // merged, not replaced
                .body("upstreamAuth.secretRef", equalTo("dancu-key"))
                .body("rateLimit.burst", equalTo(50)).body("rateLimit.requestsPerSecond", equalTo(5));
        given().auth().oauth2(TestJwt.operator()).get(p + "/openapi").then().statusCode(200).body("info.version", equalTo("2"));

        // upstreamAuth is replaced whole: switching to none does not inherit the old secret name.
        given().auth().oauth2(TestJwt.operator()).header("If-Match", "\"2\"").contentType(MERGE)
                .body("{\"upstreamAuth\":{\"type\":\"none\"}}").patch(p).then().statusCode(200)
                .body("upstreamAuth.type", equalTo("none")).body("upstreamAuth", not(org.hamcrest.Matchers.hasKey("secretRef")));

        // Bad values are refused naming the field, and nothing is written.
        given().auth().oauth2(OWNER).header("If-Match", "\"3\"").contentType(MERGE)
                .body("{\"timeoutMs\":30001,\"upstreams\":{\"test\":\"ftp://x.example/\"}}").patch(p).then().statusCode(400)
                .contentType("application/problem+json").body("errors.field", hasItems("timeoutMs"));
        given().auth().oauth2(OWNER).header("If-Match", "\"3\"").contentType(MERGE)
                .body("{\"upstreams\":{\"test\":\"ftp://x.example/\"}}").patch(p).then().statusCode(400)
                .body("errors.field", hasItem("upstreams.test")).body("errors.rule", hasItem("httpUrl"));
        given().auth().oauth2(OWNER).header("If-Match", "\"3\"").contentType(MERGE)
                .body("{\"version\":\"v9\"}").patch(p).then().statusCode(400).body("errors[0].field", equalTo("version"));
        given().auth().oauth2(OWNER).header("If-Match", "\"3\"").contentType(MERGE)
                .body("{\"openapi\":{\"openapi\":\"3.0.3\",\"info\":{\"title\":\"x\"},\"paths\":{}}}").patch(p).then()
                .statusCode(400).body("errors.field", hasItem("/openapi/info/version"));
        assertEquals("\"3\"", etag(code, "v1"));

        given().auth().oauth2(TestJwt.operator()).get(p + "/history").then().statusCode(200)
                .body("findAll { it.action == 'edit' }.size()", equalTo(2))
                .body("find { it.action == 'edit' }.changedFields", hasItems("timeoutMs", "openapi", "upstreamAuth"));
        assertTrue(auditPublisher.snapshot().stream().anyMatch(e -> "version.update".equals(e.action())
                && (code + ":v1").equals(e.resourceId()) && e.before().path("timeoutMs").asInt() == 10000
                && e.after().path("timeoutMs").asInt() == 20000), "the edit was audited with before and after");
    }

    @Test
    void putReplacesTheWholeConfiguration() {
        String code = Fixtures.service("master", true);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body("""
                {"version":"v1","upstreams":{"test":"http://t.example/a"},"timeoutMs":25000,"requestFormat":"xml"}""")
                .post("/api/v1/services/" + code + "/versions").then().statusCode(201).header("ETag", equalTo("\"1\""));
        given().auth().oauth2(OWNER).header("If-Match", "\"1\"").contentType(ContentType.JSON)
                .body("{\"upstreams\":{\"test\":\"http://t2.example/a\"}}").put(path(code, "v1")).then().statusCode(200)
                .header("ETag", equalTo("\"2\"")).body("upstreams.test", equalTo("http://t2.example/a"))
                .body("timeoutMs", equalTo(10000)).body("requestFormat", equalTo("json"));
        given().auth().oauth2(OWNER).header("If-Match", "\"2\"").contentType(ContentType.JSON)
                .body("{\"timeoutMs\":0}").put(path(code, "v1")).then().statusCode(400)
                .body("errors[0].field", equalTo("timeoutMs"));
        given().auth().oauth2(OWNER).header("If-Match", "\"2\"").contentType(ContentType.JSON)
                .body("{\"unknown\":1}").put(path(code, "v1")).then().statusCode(400)
                .body("errors[0].field", equalTo("unknown"));
    }

    @Test
    void testingKeepsItsTestUpstream() {
        String code = Fixtures.service("master", true);
        Fixtures.version(code, "v1");
        Fixtures.transition(TestJwt.operator(), code, "v1", "{\"to\":\"testing\"}").statusCode(200);
        String tag = etag(code, "v1");
        given().auth().oauth2(OWNER).header("If-Match", tag).contentType(MERGE).body("{\"upstreams\":{\"test\":null}}")
                .patch(path(code, "v1")).then().statusCode(409).body("errors[0].field", equalTo("upstreams.test"));
        given().auth().oauth2(OWNER).header("If-Match", tag).contentType(MERGE).body("{\"responseFormat\":\"xml\"}")
                .patch(path(code, "v1")).then().statusCode(200).body("responseFormat", equalTo("xml"));
    }

    @Test
    void publishedTakesOnlyOperationallySafeChangesAndRoutingSeesThem() {
        String code = Fixtures.service("master", true);
        Fixtures.published(code, "v1");
        String p = path(code, "v1");
        String tag = etag(code, "v1");
        given().auth().oauth2(OWNER).header("If-Match", tag).contentType(MERGE)
                .body("{\"requestFormat\":\"xml\",\"openapi\":{\"openapi\":\"3.1.0\",\"info\":{\"title\":\"a\",\"version\":\"1\"},\"paths\":{}}}")
                .patch(p).then().statusCode(409).contentType("application/problem+json")
                .body("errors.field", hasItems("requestFormat", "openapi"))
                .body("errors.rule", hasItem("notEditableWhenPublished"));
        given().auth().oauth2(OWNER).header("If-Match", tag).contentType(MERGE)
                .body("{\"upstreams\":{\"production\":\"https://moved.example/api\"}}").patch(p).then().statusCode(409)
                .body("errors[0].field", equalTo("reason")).body("errors[0].rule", equalTo("requiredForUpstreamChange"));
        given().auth().oauth2(OWNER).header("If-Match", tag).contentType(MERGE)
                .body("{\"upstreams\":{\"production\":null},\"reason\":\"x\"}").patch(p).then().statusCode(409)
                .body("errors.field", hasItem("upstreams.production"));
        assertEquals(tag, etag(code, "v1"), "refused edits wrote nothing");

        long before = revision();
        String next = given().auth().oauth2(OWNER).header("If-Match", tag).contentType(MERGE).body("""
                {"upstreams":{"production":"https://moved.example/api"},"timeoutMs":25000,"maxRequestBytes":4096,
                 "rateLimit":{"requestsPerSecond":7},"reason":"Provider moved data centre"}""")
                .patch(p).then().statusCode(200).body("upstreams.production", equalTo("https://moved.example/api"))
                .extract().header("ETag");
        assertTrue(!tag.equals(next));

        // routing's snapshot has the new route, and the change stream carries it.
        JsonPath snap = given().auth().oauth2(ROUTING).get("/api/v1/feed/snapshot").then().statusCode(200)
                .extract().jsonPath();
        assertTrue(snap.getLong("revision") > before);
        Map<String, Object> route = snap.getMap("routes.find { it.serviceCode == '" + code + "' }");
        assertEquals("https://moved.example/api", ((Map<?, ?>) route.get("upstreams")).get("production"));
        assertEquals(25000, route.get("timeoutMs"));
        assertEquals(4096, route.get("maxRequestBytes"));
        List<Map<String, Object>> changes = given().auth().oauth2(ROUTING).queryParam("since", before)
                .get("/api/v1/feed/changes").then().statusCode(200).extract().jsonPath().getList("changes");
        assertTrue(changes.stream().anyMatch(c -> (code + ":v1").equals(c.get("key"))
                && "https://moved.example/api".equals(((Map<?, ?>) ((Map<?, ?>) c.get("data")).get("upstreams")).get("production"))));

        given().auth().oauth2(TestJwt.auditor()).get(p + "/history").then().statusCode(200)
                .body("find { it.action == 'edit' }.comment", equalTo("Provider moved data centre"))
                .body("find { it.action == 'edit' }.changedFields", hasItems("upstreams.production", "timeoutMs"));
        assertTrue(auditPublisher.snapshot().stream().anyMatch(e -> "version.update".equals(e.action())
                && (code + ":v1").equals(e.resourceId())
                && "https://provider.example/api".equals(e.before().path("upstreams").path("production").asText())
                && "Provider moved data centre".equals(e.after().path("reason").asText())), "audited with the reason");

        // A deprecated or published version's unchanged PUT/PATCH is a no-op, not a new revision.
        given().auth().oauth2(OWNER).header("If-Match", next).contentType(MERGE).body("{\"timeoutMs\":25000}").patch(p)
                .then().statusCode(200).header("ETag", equalTo(next));
    }

    @Test
    void maxConnectionsIsEditableWhenLiveAndRoutingSeesIt() {
        String code = Fixtures.service("master", true);
        Fixtures.published(code, "v1");
        String p = path(code, "v1");
        String tag = etag(code, "v1");

        // Out of range or not a number: 400 naming the field, as for timeoutMs, and nothing is written.
        given().auth().oauth2(OWNER).header("If-Match", tag).contentType(MERGE).body("{\"maxConnections\":0}").patch(p)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("maxConnections"))).body("errors[0].rule", equalTo("min"));
        given().auth().oauth2(OWNER).header("If-Match", tag).contentType(MERGE).body("{\"maxConnections\":10001}").patch(p)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("maxConnections"))).body("errors[0].rule", equalTo("max"));
        given().auth().oauth2(OWNER).header("If-Match", tag).contentType(MERGE).body("{\"maxConnections\":\"lots\"}").patch(p)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("maxConnections"))).body("errors[0].rule", equalTo("type"));
        given().auth().oauth2(OWNER).header("If-Match", tag).contentType(ContentType.JSON).body("{\"maxConnections\":0}")
                .put(p).then().statusCode(400).body("errors.field", hasItem("maxConnections"));
        assertEquals(tag, etag(code, "v1"), "refused edits wrote nothing");

        long before = revision();
        String next = given().auth().oauth2(OWNER).header("If-Match", tag).contentType(MERGE)
                .body("{\"maxConnections\":250}").patch(p).then().statusCode(200)
                .body("maxConnections", equalTo(250)).body("status", equalTo("published")).extract().header("ETag");
        assertNotEquals(tag, next);
        given().auth().oauth2(TestJwt.auditor()).get(p).then().statusCode(200).body("maxConnections", equalTo(250));

        given().auth().oauth2(TestJwt.auditor()).get(p + "/history").then().statusCode(200)
                .body("findAll { it.action == 'edit' }.size()", equalTo(1))
                .body("find { it.action == 'edit' }.changedFields", equalTo(List.of("maxConnections")));
        assertTrue(auditPublisher.snapshot().stream().anyMatch(e -> "version.update".equals(e.action())
                && (code + ":v1").equals(e.resourceId()) && e.before().path("maxConnections").asInt() == 64
                && e.after().path("maxConnections").asInt() == 250
                && e.after().path("changedFields").toString().equals("[\"maxConnections\"]")),
                "the edit was audited with before, after and the changed field");

        JsonPath snap = given().auth().oauth2(ROUTING).get("/api/v1/feed/snapshot").then().statusCode(200)
                .extract().jsonPath();
        assertTrue(snap.getLong("revision") > before, "the edit moved the snapshot revision");
        assertEquals(250, snap.getInt("routes.find { it.serviceCode == '" + code + "' }.maxConnections"));
        List<Map<String, Object>> changes = given().auth().oauth2(ROUTING).queryParam("since", before)
                .get("/api/v1/feed/changes").then().statusCode(200).extract().jsonPath()
                .getList("changes.findAll { it.key == '" + code + ":v1' }");
        assertEquals(1, changes.size(), "one route change for the edit");
        assertEquals("route", changes.get(0).get("kind"));
        assertEquals(250, ((Map<?, ?>) changes.get(0).get("data")).get("maxConnections"));

        // PUT replaces the whole configuration: left out, it goes back to the default, like timeoutMs.
        String afterPut = given().auth().oauth2(OWNER).header("If-Match", next).contentType(ContentType.JSON).body("""
                {"upstreams":{"test":"http://127.0.0.1:9/test","production":"https://provider.example/api"},
                 "rateLimit":{"requestsPerSecond":5}}""").put(p).then().statusCode(200)
                .body("maxConnections", equalTo(64)).extract().header("ETag");
        given().auth().oauth2(TestJwt.auditor()).get(p + "/history").then().statusCode(200)
                .body("findAll { it.action == 'edit' }[-1].changedFields", equalTo(List.of("maxConnections")));

        // Deprecated versions take it too.
        Fixtures.published(code, "v2");
        Instant v2Published = Instant.parse(given().auth().oauth2(TestJwt.operator()).get(path(code, "v2"))
                .then().extract().path("publishedAt"));
        Fixtures.transition(TestJwt.operator(), code, "v1",
                "{\"to\":\"deprecated\",\"sunsetAt\":\"" + v2Published.plus(Duration.ofDays(180)) + "\"}").statusCode(200);
        assertNotEquals(afterPut, etag(code, "v1"));
        given().auth().oauth2(OWNER).header("If-Match", etag(code, "v1")).contentType(MERGE).body("{\"maxConnections\":8}")
                .patch(p).then().statusCode(200).body("status", equalTo("deprecated")).body("maxConnections", equalTo(8));
        assertEquals(8, given().auth().oauth2(ROUTING).get("/api/v1/feed/snapshot").then().statusCode(200).extract()
                .jsonPath().getInt("routes.find { it.serviceCode == '" + code + "' && it.version == 'v1' }.maxConnections"));
    }

    @Test
    void pipeliningDefaultsToNoneIsEditableWhenLiveWithinItsRangeAndRoutingSeesIt() {
        String code = Fixtures.service("master", true);
        Fixtures.published(code, "v1");
        String p = path(code, "v1");
        given().auth().oauth2(TestJwt.auditor()).get(p).then().statusCode(200).body("pipelining", equalTo(1));
        String tag = etag(code, "v1");
        given().auth().oauth2(OWNER).header("If-Match", tag).contentType(MERGE).body("{\"pipelining\":0}").patch(p)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("pipelining"))).body("errors[0].rule", equalTo("min"));
        given().auth().oauth2(OWNER).header("If-Match", tag).contentType(MERGE).body("{\"pipelining\":17}").patch(p)
                .then().statusCode(400).body("errors.field", equalTo(List.of("pipelining")))
                .body("errors[0].rule", equalTo("max"));
        assertEquals(tag, etag(code, "v1"), "refused edits wrote nothing");

        long before = revision();
        given().auth().oauth2(OWNER).header("If-Match", tag).contentType(MERGE).body("{\"pipelining\":8}").patch(p)
                .then().statusCode(200).body("pipelining", equalTo(8)).body("status", equalTo("published"));
        given().auth().oauth2(TestJwt.auditor()).get(p + "/history").then().statusCode(200)
                .body("find { it.action == 'edit' }.changedFields", equalTo(List.of("pipelining")));
        JsonPath snap = given().auth().oauth2(ROUTING).get("/api/v1/feed/snapshot").then().statusCode(200)
                .extract().jsonPath();
        assertTrue(snap.getLong("revision") > before, "the edit moved the snapshot revision");
        assertEquals(8, snap.getInt("routes.find { it.serviceCode == '" + code + "' }.pipelining"));
        // a new version states it when created
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"version\":\"v2\",\"pipelining\":4}").post("/api/v1/services/" + code + "/versions").then().statusCode(201)
                .body("pipelining", equalTo(4));
    }
}
