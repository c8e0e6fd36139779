package vn.lgsp.catalog.feed;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import vn.lgsp.catalog.Fixtures;
import vn.lgsp.catalog.RegistryStub;
import vn.lgsp.catalog.TestClock;
import vn.lgsp.catalog.feed.service.FeedRetention;
import vn.lgsp.testing.PlatformTestResource;
import vn.lgsp.testing.TestJwt;

/** The change log is pruned after the retention; a reader behind it is told to reload the snapshot. */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
@QuarkusTestResource(RegistryStub.class)
class FeedRetentionTest {

    private static final String ROUTING = TestJwt.service("routing");

    @Inject
    FeedRetention retention;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private static long revision() {
        return Long.parseLong(given().auth().oauth2(ROUTING).get("/api/v1/feed/snapshot").then().statusCode(200)
                .extract().path("revision").toString());
    }

    @Test
    void changesOlderThanTheRetentionArePrunedAndReadersBehindReloadTheSnapshot() {
        long before = revision();
        String code = Fixtures.service("shared", false);
        Fixtures.published(code, "v1");
        long latest = revision();
        assertTrue(latest > before);

        // Just inside the retention (6 of 7 days): nothing of ours goes.
        clock.shift(Duration.ofDays(6));
        retention.prune().await().atMost(Duration.ofSeconds(10));
        given().auth().oauth2(ROUTING).queryParam("since", before).get("/api/v1/feed/changes").then().statusCode(200)
                .body("changes.findAll { it.key == '" + code + ":v1' }.data.status", hasItem("published"));

        // Past it: pruned, and the reader that was at `before` must reload.
        clock.shift(Duration.ofDays(2));
        int pruned = retention.prune().await().atMost(Duration.ofSeconds(10));
        assertTrue(pruned > 0, "old changes were deleted");
        given().auth().oauth2(ROUTING).queryParam("since", before).get("/api/v1/feed/changes").then().statusCode(410)
                .contentType("application/problem+json").body("type", equalTo("urn:lgsp:problem:gone"))
                .body("errors[0].field", equalTo("since")).body("errors[0].rule", equalTo("reloadSnapshot"))
                .body("detail", containsString("/api/v1/feed/snapshot"))
                .header("Link", containsString("/api/v1/feed/snapshot"));

        // The revision never goes back (the newest change is kept), the snapshot still has everything, and a
        // reader at the current revision continues normally.
        assertEquals(latest, revision());
        given().auth().oauth2(ROUTING).get("/api/v1/feed/snapshot").then().statusCode(200)
                .body("routes.find { it.serviceCode == '" + code + "' }.status", equalTo("published"));
        given().auth().oauth2(ROUTING).queryParam("since", latest).get("/api/v1/feed/changes").then().statusCode(200)
                .body("changes.size()", equalTo(0)).body("revision", equalTo((int) latest));
        Fixtures.version(code, "v2");
        given().auth().oauth2(ROUTING).queryParam("since", latest).get("/api/v1/feed/changes").then().statusCode(200)
                .body("changes[0].key", equalTo(code + ":v2"));
    }
}
