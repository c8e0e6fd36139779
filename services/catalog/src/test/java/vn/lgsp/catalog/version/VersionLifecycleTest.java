package vn.lgsp.catalog.version;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import vn.lgsp.catalog.Fixtures;
import vn.lgsp.catalog.RegistryStub;
import vn.lgsp.catalog.TestClock;
import vn.lgsp.testing.PlatformTestResource;
import vn.lgsp.testing.TestJwt;

@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
@QuarkusTestResource(RegistryStub.class)
class VersionLifecycleTest {

    @Inject
    TestClock clock;

    @Inject
    Pool pool;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private static String versionsOf(String code) {
        return "/api/v1/services/" + code + "/versions";
    }

    @Test
    void newVersionStartsDraftWithDefaultsAndIsUniquePerService() {
        String code = Fixtures.service("master", true);
        given().auth().oauth2(TestJwt.agencyAdmin(RegistryStub.PROVIDER_AGENCY)).contentType(ContentType.JSON)
                .body("{\"version\":\"v1\"}").post(versionsOf(code)).then().statusCode(201)
                .body("status", equalTo("draft")).body("timeoutMs", equalTo(10000))
                .body("maxRequestBytes", equalTo(1048576)).body("requestFormat", equalTo("json"))
                .body("upstreamAuth.type", equalTo("none")).body("rateLimit.requestsPerSecond", equalTo(10));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body("{\"version\":\"v1\"}")
                .post(versionsOf(code)).then().statusCode(409).body("errors[0].field", equalTo("version"));
        given().auth().oauth2(TestJwt.agencyAdmin(RegistryStub.THIRD_AGENCY)).contentType(ContentType.JSON)
                .body("{\"version\":\"v2\"}").post(versionsOf(code)).then().statusCode(403);
    }

    @Test
    void badVersionConfigurationIsRefusedNamingEachField() {
        String code = Fixtures.service("master", true);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("""
                        {"version":"v1","upstreams":{"test":"ftp://x.example/a","production":"/relative"},
                         "upstreamAuth":{"type":"static_header","headerName":"X-Api-Key"}}""")
                .post(versionsOf(code)).then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("upstreams.test")).body("errors.field", hasItem("upstreams.production"))
                .body("errors.field", hasItem("upstreamAuth.secretRef")).body("errors.rule", hasItem("httpUrl"));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"version\":\"1.0\",\"timeoutMs\":30001,\"maxRequestBytes\":52428801}")
                .post(versionsOf(code)).then().statusCode(400)
                .body("errors.field", hasItem("version")).body("errors.field", hasItem("timeoutMs"))
                .body("errors.field", hasItem("maxRequestBytes"));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"version\":\"v1\",\"openapi\":{\"swagger\":\"2.0\",\"info\":{\"title\":\"x\"},\"paths\":[]}}")
                .post(versionsOf(code)).then().statusCode(400)
                .body("errors.field", hasItem("/openapi/openapi")).body("errors.rule", hasItem("openapiVersion"))
                .body("errors.field", hasItem("/openapi/info/version")).body("errors.field", hasItem("/openapi/paths"));
        // Nothing half-written: the service still has no version.
        given().auth().oauth2(TestJwt.operator()).get(versionsOf(code)).then().statusCode(200).body("", hasSize(0));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"version\":\"v1\",\"openapi\":{\"openapi\":\"3.1.0\",\"info\":{\"title\":\"Dân cư\",\"version\":\"1\"},"
                        + "\"paths\":{\"/citizens/{id}\":{\"get\":{}}}}}")
                .post(versionsOf(code)).then().statusCode(201);
        given().auth().oauth2(TestJwt.auditor()).get(versionsOf(code) + "/v1/openapi").then().statusCode(200)
                .body("info.title", equalTo("Dân cư"));
    }

    @Test
    void lifecycleMustPassThroughTesting() {
        String code = Fixtures.service("master", true);
        Fixtures.version(code, "v1");
        Fixtures.transition(TestJwt.operator(), code, "v1", "{\"to\":\"published\"}").statusCode(409)
                .body("type", equalTo("urn:lgsp:problem:illegal-transition"));
        Fixtures.transition(TestJwt.auditor(), code, "v1", "{\"to\":\"testing\"}").statusCode(403);
        Fixtures.transition(TestJwt.agencyAdmin(RegistryStub.THIRD_AGENCY), code, "v1", "{\"to\":\"testing\"}").statusCode(403);
        Fixtures.transition(TestJwt.agencyAdmin(RegistryStub.PROVIDER_AGENCY), code, "v1", "{\"to\":\"testing\",\"comment\":\"thử\"}")
                .statusCode(200).body("status", equalTo("testing"));
        Fixtures.transition(TestJwt.operator(), code, "v1", "{\"to\":\"draft\"}").statusCode(200);
        Fixtures.transition(TestJwt.operator(), code, "v1", "{\"to\":\"teleport\"}").statusCode(400)
                .body("errors[0].field", equalTo("to"));
        given().auth().oauth2(TestJwt.auditor()).get(versionsOf(code) + "/v1/history").then().statusCode(200)
                .body("", hasSize(2)).body("[0].to", equalTo("testing")).body("[0].comment", equalTo("thử"))
                .body("[0].actor", equalTo("admin-" + RegistryStub.PROVIDER_AGENCY)).body("[1].to", equalTo("draft"));
    }

    @Test
    void deprecationNeedsAPublishedSuccessorAnd180DaysOfOverlap() {
        String code = Fixtures.service("master", true);
        Fixtures.published(code, "v1");
        Fixtures.transition(TestJwt.operator(), code, "v1",
                "{\"to\":\"deprecated\",\"sunsetAt\":\"" + Instant.now().plus(Duration.ofDays(400)) + "\"}")
                .statusCode(409).body("errors[0].rule", equalTo("newerPublishedVersionRequired"));
        Fixtures.published(code, "v2");
        // Publishing v2 left v1 alone.
        given().auth().oauth2(TestJwt.operator()).get(versionsOf(code) + "/v1").then().body("status", equalTo("published"));
        Instant v2Published = Instant.parse(given().auth().oauth2(TestJwt.operator()).get(versionsOf(code) + "/v2")
                .then().extract().path("publishedAt"));
        Instant limit = v2Published.plus(Duration.ofDays(180));
        Fixtures.transition(TestJwt.operator(), code, "v1", "{\"to\":\"deprecated\"}").statusCode(400)
                .body("errors[0].field", equalTo("sunsetAt"));
        Fixtures.transition(TestJwt.operator(), code, "v1",
                "{\"to\":\"deprecated\",\"sunsetAt\":\"" + limit.minusSeconds(1) + "\"}")
                .statusCode(400).body("errors[0].field", equalTo("sunsetAt")).body("errors[0].rule", equalTo("minOverlap180Days"));
        Fixtures.transition(TestJwt.operator(), code, "v1", "{\"to\":\"deprecated\",\"sunsetAt\":\"" + limit + "\"}")
                .statusCode(200).body("status", equalTo("deprecated")).body("sunsetAt", notNullValue());
        given().auth().oauth2(TestJwt.operator()).get(versionsOf(code) + "/v2").then().body("status", equalTo("published"));
    }

    @Test
    void retirementNeedsSixtyDaysNoticeAndTheDateToCome() throws InterruptedException {
        String code = Fixtures.service("master", true);
        Fixtures.published(code, "v1");
        String sub = Fixtures.subscribe(code, "v1", "production", RegistryStub.hookUrl());
        Fixtures.act(TestJwt.operator(), sub, "approve", "{}").statusCode(200);
        Fixtures.published(code, "v2");
        Instant v2Published = Instant.parse(given().auth().oauth2(TestJwt.operator()).get(versionsOf(code) + "/v2")
                .then().extract().path("publishedAt"));
        Instant sunset = v2Published.plus(Duration.ofDays(180));
        Fixtures.transition(TestJwt.operator(), code, "v1", "{\"to\":\"deprecated\",\"sunsetAt\":\"" + sunset + "\"}").statusCode(200);
        Fixtures.transition(TestJwt.operator(), code, "v1", "{\"to\":\"retired\"}").statusCode(409)
                .body("errors[0].rule", equalTo("retirementNoticeRequired"));

        String notice = versionsOf(code) + "/v1/retirement-notice";
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"retireAt\":\"" + Instant.now().plus(Duration.ofDays(59)) + "\"}").post(notice)
                .then().statusCode(400).body("errors[0].field", equalTo("retireAt")).body("errors[0].rule", equalTo("minNotice60Days"));
        Instant retireAt = sunset.plus(Duration.ofDays(1));
        given().auth().oauth2(TestJwt.agencyAdmin(RegistryStub.PROVIDER_AGENCY)).contentType(ContentType.JSON)
                .body("{\"retireAt\":\"" + retireAt + "\",\"comment\":\"Ngừng v1\"}").post(notice)
                .then().statusCode(200).body("retireAt", notNullValue()).body("status", equalTo("deprecated"));
        Fixtures.transition(TestJwt.operator(), code, "v1", "{\"to\":\"retired\"}").statusCode(409)
                .body("errors[0].rule", equalTo("retireAtNotReached"));

        clock.shift(Duration.between(Instant.now(), retireAt).plusMinutes(1));
        Fixtures.transition(TestJwt.operator(), code, "v1", "{\"to\":\"retired\"}").statusCode(200)
                .body("status", equalTo("retired")).body("retiredAt", notNullValue());
        // Its subscription ended with it, and the subscriber heard of every step.
        given().auth().oauth2(TestJwt.operator()).get("/api/v1/subscriptions/" + sub).then().body("status", equalTo("ended"));
        given().auth().oauth2(TestJwt.agencyAdmin(RegistryStub.CONSUMER_AGENCY))
                .queryParam("consumerSystem", RegistryStub.CONSUMER_SYSTEM).queryParam("size", 200)
                .get("/api/v1/notifications").then().statusCode(200)
                .body("items.findAll { it.subscriptionId == '" + sub + "' }.event",
                        org.hamcrest.Matchers.hasItems("version.deprecated", "version.retirement-notice", "version.retired"));
        long deadline = System.currentTimeMillis() + 5000;
        while (RegistryStub.WEBHOOKS.stream().noneMatch(w -> sub.equals(w.getString("subscriptionId"))
                && "version.retired".equals(w.getString("event"))) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(RegistryStub.WEBHOOKS.stream().anyMatch(w -> sub.equals(w.getString("subscriptionId"))
                && "version.retired".equals(w.getString("event"))), "the subscriber's webhook was called");
    }

    @Test
    void maxConnectionsDefaultsTo64AndAnExplicitValueIsKept() {
        String code = Fixtures.service("master", true);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body("{\"version\":\"v1\"}")
                .post(versionsOf(code)).then().statusCode(201).body("maxConnections", equalTo(64));
        given().auth().oauth2(TestJwt.agencyAdmin(RegistryStub.PROVIDER_AGENCY)).contentType(ContentType.JSON)
                .body("{\"version\":\"v2\",\"maxConnections\":500}").post(versionsOf(code)).then().statusCode(201)
                .body("maxConnections", equalTo(500));
        // Both ends of the range are allowed.
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"version\":\"v3\",\"maxConnections\":1}").post(versionsOf(code)).then().statusCode(201)
                .body("maxConnections", equalTo(1));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"version\":\"v4\",\"maxConnections\":10000}").post(versionsOf(code)).then().statusCode(201)
                .body("maxConnections", equalTo(10000));
        // Read back from the database, not echoed from the request.
        given().auth().oauth2(TestJwt.auditor()).get(versionsOf(code) + "/v1").then().statusCode(200)
                .body("maxConnections", equalTo(64));
        given().auth().oauth2(TestJwt.auditor()).get(versionsOf(code) + "/v2").then().statusCode(200)
                .body("maxConnections", equalTo(500));
        given().auth().oauth2(TestJwt.operator()).get(versionsOf(code)).then().statusCode(200)
                .body("maxConnections", equalTo(List.of(64, 500, 1, 10000)));
    }

    @Test
    void maxConnectionsOutOfRangeOrNotANumberIsRefusedNamingTheField() {
        String code = Fixtures.service("master", true);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"version\":\"v1\",\"maxConnections\":0}").post(versionsOf(code)).then().statusCode(400)
                .contentType("application/problem+json").body("type", equalTo("urn:lgsp:problem:validation-failed"))
                .body("errors.field", equalTo(List.of("maxConnections"))).body("errors[0].rule", equalTo("min"));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"version\":\"v1\",\"maxConnections\":10001}").post(versionsOf(code)).then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("maxConnections"))).body("errors[0].rule", equalTo("max"));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"version\":\"v1\",\"maxConnections\":\"many\"}").post(versionsOf(code)).then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("maxConnections"))).body("errors[0].rule", equalTo("type"));
        given().auth().oauth2(TestJwt.operator()).get(versionsOf(code)).then().statusCode(200).body("", hasSize(0));
    }

    @Test
    void theDatabaseHoldsMaxConnectionsToItsRangeAndDefault() {
        String code = Fixtures.service("master", true);
        Fixtures.version(code, "v1");
        for (int bad : new int[] { 0, 10001 }) {
            Throwable refused = assertThrows(Throwable.class, () -> pool
                    .preparedQuery("UPDATE service_version SET max_connections = $1 WHERE service_code = $2")
                    .execute(Tuple.of(bad, code)).await().atMost(Duration.ofSeconds(10)));
            assertTrue(String.valueOf(refused.getMessage()).contains("service_version_max_connections_ck"),
                    "refused by the named check: " + refused.getMessage());
        }
        // Rows written before the column existed take the default.
        String columnDefault = pool.query("SELECT column_default FROM information_schema.columns WHERE table_schema = "
                + "current_schema() AND table_name = 'service_version' AND column_name = 'max_connections'").execute()
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getString("column_default");
        assertEquals("64", columnDefault);
    }
}
