package vn.lgsp.routing.proxy;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import vn.lgsp.common.audit.AuditEvent;
import vn.lgsp.common.audit.AuditPublisher;
import vn.lgsp.routing.support.RoutingTestResource;
import vn.lgsp.routing.support.StubPlatform;
import vn.lgsp.testing.ClosedPort;
import vn.lgsp.testing.StubUpstream;
import vn.lgsp.testing.TestJwt;

/**
 * Planned downtime is not an incident (REQUIREMENTS M8): a provider upstream that does not answer while every route
 * using it is inside an announced unavailable window raises no {@code upstream-unreachable} alert; still down when
 * the window ends, it does then; and one that comes back without an alert raised sends no "recovered" either.
 * Health checks run every second in tests.
 */
@QuarkusTest
@QuarkusTestResource(RoutingTestResource.class)
class MaintenanceAlertTest {

    @Inject
    AuditPublisher publisher;

    private List<AuditEvent> alerts(String serviceCode) {
        return publisher.snapshot().stream()
                .filter(e -> AuditEvent.ALERT.equals(e.type()) && serviceCode.equals(e.serviceCode())).toList();
    }

    /** The health checker's last finding for that upstream URL on the status endpoint, null before its first probe. */
    private static Boolean reachable(String url) {
        return given().header("Authorization", "Bearer " + TestJwt.operator()).get("/api/v1/routing/status")
                .then().statusCode(200).extract().jsonPath().getMap("upstreams", String.class, Boolean.class).get(url);
    }

    private static void awaitReachable(String url, boolean expected, long withinMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + withinMillis;
        while (!Boolean.valueOf(expected).equals(reachable(url)) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(expected, reachable(url), "probed and found " + (expected ? "reachable" : "unreachable") + ": " + url);
    }

    /** A window first, then the route it covers: the checker never sees the route outside the window. */
    private static void publish(JsonObject window, String code, String url) throws InterruptedException {
        StubPlatform platform = RoutingTestResource.platform();
        platform.change("maintenance", window);
        long deadline = System.currentTimeMillis() + 3000;
        while (!listed(window.getString("id")) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(listed(window.getString("id")), "window in force before the route appears");
        platform.change("route", RoutingTestResource.route(code, "v1", "published", url));
    }

    private static boolean listed(String id) {
        return given().header("Authorization", "Bearer " + TestJwt.operator()).get("/api/v1/routing/status")
                .then().extract().jsonPath().getList("maintenance.id").contains(id);
    }

    /** Retired: no longer probed, so the test leaves nothing behind that alerts. */
    private static void retire(String code, String url) {
        RoutingTestResource.platform().change("route", RoutingTestResource.route(code, "v1", "retired", url));
    }

    @Test
    void noAlertWhileInsideTheWindowAndOneOnceItEndsWithTheProviderStillDown() throws Exception {
        String code = "bao-tri-dong";
        ClosedPort closed = ClosedPort.reserve();
        String url = closed.url();
        Instant endsAt = Instant.now().plusSeconds(8);
        JsonObject window = RoutingTestResource.maintenance("mw-alert", "Tắt máy chủ theo kế hoạch", List.of(code),
                null, "unavailable", Instant.now().minus(1, ChronoUnit.MINUTES), endsAt);
        publish(window, code, url);
        try {
            // probed and found down during the window: tracked, but not alerted
            awaitReachable(url, false, 5000);
            assertTrue(Instant.now().isBefore(endsAt), "the probe came inside the window (test too slow otherwise)");
            Thread.sleep(1500); // another probe round or so, still inside the window
            assertTrue(alerts(code).stream().noneMatch(e -> e.occurredAt().isBefore(endsAt)),
                    "no alert inside the window: " + alerts(code));

            // still down once it is over: the next probe raises the alert, one per environment, once
            long deadline = System.currentTimeMillis() + 15_000;
            while (alerts(code).size() < 2 && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            List<AuditEvent> alerts = alerts(code);
            assertEquals(2, alerts.size(), "one alert per environment after the window: " + alerts);
            for (AuditEvent alert : alerts) {
                assertEquals(UpstreamHealthChecker.UNREACHABLE, alert.errorType());
                assertFalse(alert.occurredAt().isBefore(endsAt), "raised after the end: " + alert.occurredAt());
            }
            Thread.sleep(2200); // two more rounds: still down, nothing new
            assertEquals(2, alerts(code).size());
        } finally {
            retire(code, url);
            closed.close();
        }
    }

    @Test
    void aProviderBackAfterItsWindowWithoutAnAlertSendsNoRecovery() throws Exception {
        String code = "bao-tri-hoi";
        ClosedPort closed = ClosedPort.reserve();
        int port = closed.port();
        String url = closed.url();
        JsonObject window = RoutingTestResource.maintenance("mw-recover", "Khởi động lại", List.of(code), null,
                "unavailable", Instant.now().minus(1, ChronoUnit.MINUTES), Instant.now().plus(10, ChronoUnit.MINUTES));
        publish(window, code, url);
        StubUpstream provider = null;
        try {
            awaitReachable(url, false, 5000);
            closed.close();
            provider = StubUpstream.start(port);
            awaitReachable(url, true, 5000);
            Thread.sleep(1200); // one more round
            assertEquals(List.of(), alerts(code), "neither unreachable nor recovered: nothing was ever reported");
        } finally {
            RoutingTestResource.platform().change("maintenance", window.copy().put("cancelled", true));
            retire(code, url);
            closed.close();
            if (provider != null) {
                provider.close();
            }
        }
    }
}
