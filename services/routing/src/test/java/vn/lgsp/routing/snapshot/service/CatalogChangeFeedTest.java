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
 * its period of use and a suspension reach it without the snapshot being loaded again; a change log that cannot continue (410) makes it
 * load the snapshot again.
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
