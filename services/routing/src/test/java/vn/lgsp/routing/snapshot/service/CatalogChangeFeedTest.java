package vn.lgsp.routing.snapshot.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vn.lgsp.routing.support.Gateway.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;
import vn.lgsp.common.time.ProvinceCalendar;
import vn.lgsp.routing.support.RoutingTestResource;
import vn.lgsp.routing.support.StubPlatform;
import vn.lgsp.routing.support.Tokens;

/**
 * After the first snapshot the gateway follows catalog's change feed: a new route, a new subscription, a change of
 * its period of use, a suspension and maintenance windows reach it without the snapshot being loaded again; a change
 * log that cannot continue (410) makes it load the snapshot again.
 */
@QuarkusTest
@QuarkusTestResource(RoutingTestResource.class)
class CatalogChangeFeedTest {

    private static final String CODE = "moi";

    private static int statusOf(String path) {
        return gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).get(path).statusCode();
    }

    /** Polls until the gateway answers {@code expected} (the feed is polled every 200 ms in tests). */
    private static void awaitStatus(String path, int expected) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 3000;
        int status = statusOf(path);
        while (status != expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            status = statusOf(path);
        }
        assertEquals(expected, status, path);
    }

    @Test
    void changesAreFollowedAndA410ReloadsTheSnapshot() throws Exception {
        StubPlatform platform = RoutingTestResource.platform();
        String url = RoutingTestResource.upstream().baseUrl();
        String path = "/" + CODE + "/v1/echo";
        awaitStatus(path, 404);
        int loads = platform.snapshotLoads();
        // one change per page: the gateway must follow hasMore to see the subscription after the route
        platform.changesPageSize(1);
        try {
            platform.change("route", RoutingTestResource.route(CODE, "v1", "published", url));
            JsonObject sub = RoutingTestResource.sub(RoutingTestResource.CONSUMER, CODE, "v1", "production", null, null,
                    null);
            platform.change("subscription", sub);
            awaitStatus(path, 200);
            // its period of use moved into the past (still active): refused; moved again to end today: served
            LocalDate today = ProvinceCalendar.dateOf(Instant.now());
            platform.change("subscription", sub.copy().put("periodEnd", today.minusDays(1).toString()));
            awaitStatus(path, 403);
            platform.change("subscription", sub.copy().put("periodEnd", today.toString()));
            awaitStatus(path, 200);
            platform.change("subscription", sub.copy().put("status", "suspended"));
            awaitStatus(path, 403);
            assertEquals(loads, platform.snapshotLoads(), "applied from the change feed, not a new snapshot");

            // catalog's log no longer reaches back to the gateway's revision: 410, the snapshot is loaded again
            platform.catalog(platform.catalog().put("revision", platform.catalog().getLong("revision") + 10));
            long deadline = System.currentTimeMillis() + 3000;
            while (platform.snapshotLoads() == loads && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(platform.snapshotLoads() > loads, "snapshot loaded again after 410");
            platform.change("subscription", sub);
            awaitStatus(path, 200);

            // a change it cannot read (a timeout that is not a number): not stuck behind it, the snapshot again
            int before = platform.snapshotLoads();
            platform.rawChange("route", CODE + ":v1",
                    RoutingTestResource.route(CODE, "v1", "published", url).put("timeoutMs", "soon"));
            deadline = System.currentTimeMillis() + 3000;
            while (platform.snapshotLoads() == before && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(platform.snapshotLoads() > before, "snapshot loaded again after an unreadable change");
            awaitStatus(path, 200);
        } finally {
            platform.changesPageSize(100);
        }
    }

    /**
     * Maintenance windows (REQUIREMENTS M8) arrive as changes of kind {@code maintenance}, each the whole window as it
     * is now (a later one replaces it; {@code cancelled: true} withdraws it), and with the snapshot's
     * {@code maintenance} array, which a full snapshot replaces — absent (an older catalog): no windows.
     */
    @Test
    void maintenanceWindowsFollowTheFeedAndAFullSnapshotReplacesThem() throws Exception {
        StubPlatform platform = RoutingTestResource.platform();
        String code = "moi-bao-tri";
        String path = "/" + code + "/v1/echo";
        platform.change("route", RoutingTestResource.route(code, "v1", "published",
                RoutingTestResource.upstream().baseUrl()));
        platform.change("subscription", RoutingTestResource.sub(RoutingTestResource.CONSUMER, code, "v1", "production",
                null, null, null));
        awaitStatus(path, 200);
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        JsonObject window = RoutingTestResource.maintenance("mw-feed", "Nâng cấp máy chủ", java.util.List.of(code), null,
                "unavailable", now.minusSeconds(60), now.plusSeconds(600));
        int loads = platform.snapshotLoads();
        try {
            platform.change("maintenance", window);
            awaitStatus(path, 503);
            long retryAfter = retryAfter(path);
            assertTrue(retryAfter > 0 && retryAfter <= 600, "until the announced end: " + retryAfter);
            // moved: the change carries the whole window, which replaces what the gateway held
            platform.change("maintenance", window.copy().put("endsAt", now.plusSeconds(7200).toString()));
            long deadline = System.currentTimeMillis() + 3000;
            while (retryAfter(path) <= 600 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(retryAfter(path) > 3600, "Retry-After follows the moved end");
            platform.change("maintenance", window.copy().put("cancelled", true));
            awaitStatus(path, 200);
            assertEquals(loads, platform.snapshotLoads(), "applied from the change feed, not a new snapshot");

            // a full snapshot carrying a window (here after a 410) puts it in force…
            JsonObject second = window.copy().put("id", "mw-snapshot");
            platform.catalog(platform.catalog().put("revision", platform.catalog().getLong("revision") + 10)
                    .put("maintenance", new io.vertx.core.json.JsonArray().add(second)));
            awaitStatus(path, 503);
            assertTrue(platform.snapshotLoads() > loads, "read from the snapshot");
            // …and the next full snapshot replaces the windows: one without the array has none
            JsonObject older = platform.catalog().put("revision", platform.catalog().getLong("revision") + 10);
            older.remove("maintenance");
            platform.catalog(older);
            awaitStatus(path, 200);
        } finally {
            JsonObject current = platform.catalog();
            if (current.containsKey("maintenance")) {
                current.remove("maintenance");
                platform.catalog(current.put("revision", current.getLong("revision") + 10));
            }
        }
    }

    private static long retryAfter(String path) {
        io.restassured.response.Response r = gateway().header("Authorization", Tokens.bearer(Tokens.consumer()))
                .get(path);
        return r.statusCode() == 503 && r.header("Retry-After") != null ? Long.parseLong(r.header("Retry-After")) : -1;
    }

    /**
     * A catalog that answers the change feed and then trickles bytes forever defeats every timeout of the call (data
     * keeps arriving): the poll is abandoned once overdue (four call timeouts, 20 s here) and the next one goes on,
     * and the abandoned call's late answer changes nothing.
     */
    @Test
    void aPollThatNeverFinishesIsAbandonedAndItsLateAnswerIgnored() throws Exception {
        StubPlatform platform = RoutingTestResource.platform();
        String url = RoutingTestResource.upstream().baseUrl();
        String path = "/slow/v1/echo";
        awaitStatus(path, 404);
        platform.trickleChanges(true);
        try {
            long deadline = System.currentTimeMillis() + 3000;
            while (platform.trickled() == 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(platform.trickled() > 0, "the gateway's change poll is caught trickling");
        } finally {
            // new polls are answered again; the one trickling goes on until ended below
            platform.trickleChanges(false);
        }
        int stuck = platform.trickled();
        platform.change("route", RoutingTestResource.route("slow", "v1", "published", url));
        platform.change("subscription", RoutingTestResource.sub(RoutingTestResource.CONSUMER, "slow", "v1",
                "production", null, null, null));
        assertEquals(404, statusOf(path), "not seen while the poll is stuck");

        long deadline = System.currentTimeMillis() + 40_000;
        int status = statusOf(path);
        while (status != 200 && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            status = statusOf(path);
        }
        assertEquals(200, status, "the stuck poll was abandoned and a new one applied the changes");
        assertEquals(stuck, platform.trickled(), "one poll was stuck");

        // the abandoned call finally answers (an empty page at revision 0): ignored, the route stays
        platform.endTrickles();
        Thread.sleep(1000);
        assertEquals(200, statusOf(path));
    }
}
