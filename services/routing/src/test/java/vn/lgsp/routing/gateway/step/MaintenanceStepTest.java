package vn.lgsp.routing.gateway.step;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vn.lgsp.routing.support.Gateway.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import vn.lgsp.common.audit.AuditEvent;
import vn.lgsp.common.audit.AuditPublisher;
import vn.lgsp.routing.support.Recorded;
import vn.lgsp.routing.support.RoutingTestResource;
import vn.lgsp.routing.support.StubPlatform;
import vn.lgsp.routing.support.Tokens;
import vn.lgsp.testing.TestJwt;

/**
 * Announced maintenance windows (REQUIREMENTS M8) through the real gateway, fed by the stub catalog's change feed:
 * an unavailable window in effect answers 503 maintenance for the calls it covers, after Entitle and before Limit;
 * windows that do not apply let calls through. Services of their own ("bao-tri", "bao-tri-khac"), and every window
 * is cancelled at the end, so no other test meets one.
 */
@QuarkusTest
@QuarkusTestResource(RoutingTestResource.class)
class MaintenanceStepTest {

    private static final String SERVICE = "bao-tri";
    private static final String OTHER = "bao-tri-khac";
    private static final String PATH = "/" + SERVICE + "/v1/x";
    private static final String OTHER_PATH = "/" + OTHER + "/v1/x";
    /** Subscribed to bao-tri v1 with a daily quota of one call: shows refused calls consume none. */
    private static final String QUOTA_OF_ONE = "HTTT-BAOTRI-MOT";
    private static boolean fixture;

    @Inject
    AuditPublisher publisher;

    private static String production() {
        return Tokens.bearer(Tokens.consumer());
    }

    private static String test() {
        return Tokens.bearer(Tokens.consumerInTest());
    }

    private static int statusOf(String path, String authorization) {
        return gateway().header("Authorization", authorization).get(path).statusCode();
    }

    /** Polls until the gateway answers {@code expected} (the feed is polled every 200 ms in tests). */
    private static void awaitStatus(String path, String authorization, int expected) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 3000;
        int status = statusOf(path, authorization);
        while (status != expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            status = statusOf(path, authorization);
        }
        assertEquals(expected, status, path);
    }

    /** Two services of their own, subscribed in both environments (and one with a quota of one call). */
    private static synchronized void fixture() throws InterruptedException {
        if (fixture) {
            return;
        }
        StubPlatform platform = RoutingTestResource.platform();
        String url = RoutingTestResource.upstream().baseUrl();
        for (String code : List.of(SERVICE, OTHER)) {
            platform.change("route", RoutingTestResource.route(code, "v1", "published", url));
            for (String env : List.of("production", "test")) {
                platform.change("subscription", RoutingTestResource.sub(RoutingTestResource.CONSUMER, code, "v1", env,
                        null, null, null));
            }
        }
        platform.change("subscription", RoutingTestResource.sub(QUOTA_OF_ONE, SERVICE, "v1", "production", null, null,
                1L));
        awaitStatus(PATH, production(), 200);
        awaitStatus(PATH, test(), 200);
        awaitStatus(OTHER_PATH, production(), 200);
        awaitStatus(OTHER_PATH, test(), 200);
        fixture = true;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    private static void cancel(JsonObject window) {
        RoutingTestResource.platform().change("maintenance", window.copy().put("cancelled", true));
    }

    private static Response status() {
        return given().header("Authorization", "Bearer " + TestJwt.operator()).get("/api/v1/routing/status");
    }

    /** Polls the status endpoint until it lists (or no longer lists) the window. */
    private static void awaitListed(String id, boolean listed) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 3000;
        boolean shown = status().jsonPath().getList("maintenance.id").contains(id);
        while (shown != listed && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            shown = status().jsonPath().getList("maintenance.id").contains(id);
        }
        assertEquals(listed, shown, "window " + id + " listed on the status endpoint");
    }

    @Test
    void anUnavailableWindowInEffectIsAnswered503UntilItIsCancelled() throws Exception {
        fixture();
        Instant startsAt = now().minus(1, ChronoUnit.MINUTES);
        Instant endsAt = now().plus(10, ChronoUnit.MINUTES);
        JsonObject window = RoutingTestResource.maintenance("mw-bao-tri", "Nâng cấp cơ sở dữ liệu bảo trì",
                List.of(SERVICE), "production", "unavailable", startsAt, endsAt);
        RoutingTestResource.platform().change("maintenance", window);
        try {
            awaitStatus(PATH, production(), 503);
            String requestId = "maintenance-" + System.nanoTime();
            Response refused = gateway().header("Authorization", production()).header("X-Request-Id", requestId)
                    .get(PATH);
            refused.then().statusCode(503)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:lgsp:problem:maintenance"))
                    .body("status", equalTo(503))
                    .body("detail", containsString("Nâng cấp cơ sở dữ liệu bảo trì"))
                    .body("detail", containsString(endsAt.toString()));
            long retryAfter = Long.parseLong(refused.header("Retry-After"));
            assertTrue(retryAfter > 9 * 60 && retryAfter <= 10 * 60, "Retry-After until the end: " + retryAfter);

            // recorded as a refused call, and the provider never saw it
            AuditEvent record = Recorded.byRequestId(publisher, requestId);
            assertEquals("maintenance", record.errorType());
            assertEquals(503, record.status());
            assertEquals(SERVICE, record.serviceCode());
            assertFalse(RoutingTestResource.upstream().received().stream()
                    .anyMatch(h -> requestId.equals(h.get("x-request-id"))), "the provider was not called");

            // another service, the other environment: served
            assertEquals(200, statusOf(OTHER_PATH, production()));
            assertEquals(200, statusOf(PATH, test()));
            // not subscribed: Entitle answers first, so only subscribers learn of the maintenance
            assertEquals(403, statusOf(PATH, Tokens.bearer(TestJwt.system(RoutingTestResource.UNSUBSCRIBED_SYSTEM,
                    "000.00.00.H09", "production"))));
            // before Limit: refused calls consume no quota (with Limit first, the 2nd call would be 429)
            String quotaOfOne = Tokens.bearer(TestJwt.system(QUOTA_OF_ONE, RoutingTestResource.CONSUMER_AGENCY,
                    "production"));
            for (int i = 0; i < 3; i++) {
                assertEquals(503, statusOf(PATH, quotaOfOne), "call " + i + " during the window");
            }

            // the operator sees it
            status().then().statusCode(200)
                    .body("maintenance.find { it.id == 'mw-bao-tri' }.title", equalTo("Nâng cấp cơ sở dữ liệu bảo trì"))
                    .body("maintenance.find { it.id == 'mw-bao-tri' }.impact", equalTo("unavailable"))
                    .body("maintenance.find { it.id == 'mw-bao-tri' }.startsAt", equalTo(startsAt.toString()))
                    .body("maintenance.find { it.id == 'mw-bao-tri' }.endsAt", equalTo(endsAt.toString()))
                    .body("maintenance.find { it.id == 'mw-bao-tri' }.serviceCodes", equalTo(List.of(SERVICE)))
                    .body("maintenance.find { it.id == 'mw-bao-tri' }.environment", equalTo("production"))
                    .body("maintenance.find { it.id == 'mw-bao-tri' }.inEffect", equalTo(true));
        } finally {
            cancel(window);
        }
        // withdrawn through the feed: served again, and gone from the status
        awaitStatus(PATH, production(), 200);
        awaitListed("mw-bao-tri", false);
        String quotaOfOne = Tokens.bearer(TestJwt.system(QUOTA_OF_ONE, RoutingTestResource.CONSUMER_AGENCY,
                "production"));
        assertEquals(200, statusOf(PATH, quotaOfOne), "the quota was untouched by the refused calls");
        assertEquals(429, statusOf(PATH, quotaOfOne), "and is one call");
    }

    @Test
    void windowsThatDoNotApplyLetCallsThrough() throws Exception {
        fixture();
        Instant now = now();
        JsonObject ended = RoutingTestResource.maintenance("mw-ended", "Đã xong", List.of(SERVICE), "production",
                "unavailable", now.minus(2, ChronoUnit.HOURS), now.minus(1, ChronoUnit.HOURS));
        JsonObject cancelled = RoutingTestResource.maintenance("mw-cancelled", "Đã hủy", List.of(SERVICE), null,
                "unavailable", now.minus(1, ChronoUnit.MINUTES), now.plus(1, ChronoUnit.HOURS)).put("cancelled", true);
        JsonObject degraded = RoutingTestResource.maintenance("mw-degraded", "Chậm", List.of(SERVICE), null,
                "degraded", now.minus(1, ChronoUnit.MINUTES), now.plus(1, ChronoUnit.HOURS));
        JsonObject otherService = RoutingTestResource.maintenance("mw-other", "Dịch vụ khác", List.of(OTHER),
                "production", "unavailable", now.minus(1, ChronoUnit.MINUTES), now.plus(1, ChronoUnit.HOURS));
        JsonObject otherEnvironment = RoutingTestResource.maintenance("mw-test-env", "Môi trường thử",
                List.of(SERVICE), "test", "unavailable", now.minus(1, ChronoUnit.MINUTES), now.plus(1, ChronoUnit.HOURS));
        JsonObject ahead = RoutingTestResource.maintenance("mw-ahead", "Sắp tới", List.of(SERVICE), "production",
                "unavailable", now.plus(1, ChronoUnit.HOURS), now.plus(2, ChronoUnit.HOURS));
        List<JsonObject> windows = List.of(ended, cancelled, degraded, otherService, otherEnvironment, ahead);
        try {
            for (JsonObject w : windows) {
                RoutingTestResource.platform().change("maintenance", w);
            }
            // the feed is applied in order: once the last is listed, all of them have been applied
            awaitListed("mw-ahead", true);
            assertEquals(200, statusOf(PATH, production()), "none of them refuses bao-tri in production");
            // …while the ones that do apply elsewhere do refuse (the feed was read, not ignored)
            assertEquals(503, statusOf(OTHER_PATH, production()));
            assertEquals(503, statusOf(PATH, test()));

            Response status = status();
            List<String> listed = status.jsonPath().getList("maintenance.id");
            assertFalse(listed.contains("mw-ended"), "an ended window is dropped: " + listed);
            assertFalse(listed.contains("mw-cancelled"), "a cancelled window is not kept: " + listed);
            status.then()
                    .body("maintenance.find { it.id == 'mw-ahead' }.inEffect", equalTo(false))
                    .body("maintenance.find { it.id == 'mw-degraded' }.inEffect", equalTo(true))
                    .body("maintenance.find { it.id == 'mw-degraded' }.impact", equalTo("degraded"))
                    .body("maintenance.find { it.id == 'mw-degraded' }.environment", nullValue());
        } finally {
            for (JsonObject w : windows) {
                cancel(w);
            }
        }
        awaitStatus(OTHER_PATH, production(), 200);
        awaitStatus(PATH, test(), 200);
        awaitListed("mw-ahead", false);
    }

    @Test
    void aPlatformWideWindowRefusesEveryService() throws Exception {
        fixture();
        // Every service, in the test environment only, so the production calls around it show its scope.
        JsonObject window = RoutingTestResource.maintenance("mw-platform", "Bảo trì nền tảng", List.of(), "test",
                "unavailable", now().minus(1, ChronoUnit.MINUTES), now().plus(5, ChronoUnit.MINUTES));
        RoutingTestResource.platform().change("maintenance", window);
        try {
            awaitStatus(PATH, test(), 503);
            for (String path : List.of(PATH, OTHER_PATH, "/thu-nghiem/v1/x")) {
                gateway().header("Authorization", test()).get(path).then().statusCode(503)
                        .body("type", equalTo("urn:lgsp:problem:maintenance"))
                        .body("detail", containsString("Every service of the platform"))
                        .body("detail", containsString("Bảo trì nền tảng"));
            }
            assertEquals(200, statusOf(PATH, production()));
            assertEquals(200, statusOf("/ho-tich/v1/x", production()));
            status().then().body("maintenance.find { it.id == 'mw-platform' }.serviceCodes", equalTo(List.of()));
        } finally {
            cancel(window);
        }
        awaitStatus(PATH, test(), 200);
        awaitStatus("/thu-nghiem/v1/x", test(), 200);
    }

    @Test
    void aWindowWithoutEnvironmentCoversBoth() throws Exception {
        fixture();
        JsonObject window = RoutingTestResource.maintenance("mw-both", "Cả hai môi trường", List.of(OTHER), null,
                "unavailable", now().minus(1, ChronoUnit.MINUTES), now().plus(5, ChronoUnit.MINUTES));
        RoutingTestResource.platform().change("maintenance", window);
        try {
            awaitStatus(OTHER_PATH, production(), 503);
            assertEquals(503, statusOf(OTHER_PATH, test()));
            assertEquals(200, statusOf(PATH, production()));
        } finally {
            cancel(window);
        }
        awaitStatus(OTHER_PATH, production(), 200);
        assertEquals(200, statusOf(OTHER_PATH, test()));
    }
}
