package vn.lgsp.routing.snapshot.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static vn.lgsp.routing.support.Gateway.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.lgsp.common.access.AccessLevel;
import vn.lgsp.common.access.AccessRules;
import vn.lgsp.routing.snapshot.domain.Route;
import vn.lgsp.routing.snapshot.domain.Subscription;
import vn.lgsp.routing.snapshot.service.FeedDocuments.CatalogSnapshot;
import vn.lgsp.routing.support.RoutingTestResource;
import vn.lgsp.routing.support.StubPlatform;
import vn.lgsp.testing.TestJwt;

/**
 * catalog's feed documents with and without access levels (REQUIREMENTS A3, docs/internal-apis.md): a route's
 * {@code accessRules} and a subscription's {@code accessLevel}, read with the application's own mapper into the
 * snapshot's values, and followed through the change feed.
 */
@QuarkusTest
@QuarkusTestResource(RoutingTestResource.class)
class AccessLevelFeedTest {

    @Inject
    ObjectMapper mapper;

    private static final String URL = "http://127.0.0.1:1";

    /** The snapshot's values for one catalog snapshot document, read as SnapshotLoader reads it. */
    private record Read(Map<Route.Key, Route> routes, Map<Subscription.Key, Subscription> subscriptions) {
    }

    private Read read(JsonArray routes, JsonArray subscriptions) throws Exception {
        String json = new JsonObject().put("revision", 7).put("generatedAt", "2026-11-23T08:00:00Z").put("routes", routes)
                .put("subscriptions", subscriptions).encode();
        CatalogSnapshot doc = mapper.readValue(json.getBytes(), CatalogSnapshot.class);
        return new Read(RouteTable.routes(doc.routes(), 10_000, 1 << 20, 64),
                RouteTable.activeSubscriptions(doc.subscriptions()));
    }

    private static JsonObject sub(String system, String level) {
        JsonObject s = RoutingTestResource.sub(system, "ho-tich", "v1", "production", null, null, null);
        return level == null ? s : s.put("accessLevel", level);
    }

    private static Subscription subscription(Read read, String system) {
        return read.subscriptions().get(new Subscription.Key(system, "ho-tich", "v1", "production"));
    }

    private static Route route(Read read, String code) {
        return read.routes().get(new Route.Key(code, "v1"));
    }

    @Test
    void aSubscriptionsLevelIsReadAbsentAsUnrestrictedAndUnknownAsView() throws Exception {
        Read read = read(new JsonArray(), new JsonArray()
                .add(sub("OLD", null))
                .add(sub("NULL", null).putNull("accessLevel"))
                .add(sub("VIEW", "view")).add(sub("USE", "use")).add(sub("UPDATE", "update")).add(sub("SHARE", "share"))
                .add(sub("NEWER", "superuser"))
                .add(sub("CAPS", "UPDATE")));
        assertNull(subscription(read, "OLD").accessLevel(), "absent: a catalog older than access levels");
        assertNull(subscription(read, "NULL").accessLevel());
        assertEquals(AccessLevel.VIEW, subscription(read, "VIEW").accessLevel());
        assertEquals(AccessLevel.USE, subscription(read, "USE").accessLevel());
        assertEquals(AccessLevel.UPDATE, subscription(read, "UPDATE").accessLevel());
        assertEquals(AccessLevel.SHARE, subscription(read, "SHARE").accessLevel());
        assertEquals(AccessLevel.VIEW, subscription(read, "NEWER").accessLevel(), "unknown: the least privilege");
        assertEquals(AccessLevel.VIEW, subscription(read, "CAPS").accessLevel(), "wire names are lower case");
    }

    @Test
    void aRoutesRulesAreCompiledOnceAbsentOrEmptyAsNoneAndInvalidAsShareOfEverything() throws Exception {
        JsonObject ruled = RoutingTestResource.route("quy-tac", "v1", "published", URL)
                .put("accessRules", RoutingTestResource.RULES.copy());
        // a member a newer catalog may add to a rule is ignored, like any other unknown member of the feed
        ruled.getJsonArray("accessRules").getJsonObject(0).put("description", "tra cứu theo số định danh");
        // deprecated, so the snapshot builds it twice (with its successor link): the rules must survive that
        JsonObject deprecated = RoutingTestResource.route("cu", "v1", "deprecated", URL)
                .put("accessRules", RoutingTestResource.RULES.copy());
        Read read = read(new JsonArray()
                .add(RoutingTestResource.route("cu-hon", "v1", "published", URL))
                .add(RoutingTestResource.route("rong", "v1", "published", URL).put("accessRules", new JsonArray()))
                .add(RoutingTestResource.route("null", "v1", "published", URL).putNull("accessRules"))
                .add(ruled)
                .add(deprecated)
                .add(RoutingTestResource.route("cu", "v2", "published", URL))
                .add(RoutingTestResource.route("sai", "v1", "published", URL).put("accessRules", new JsonArray()
                        .add(new JsonObject().put("path", "/search").put("level", "owner"))))
                .add(RoutingTestResource.route("sai-path", "v1", "published", URL).put("accessRules", new JsonArray()
                        .add(new JsonObject().put("path", "search").put("level", "view"))))
                .add(RoutingTestResource.route("rule-null", "v1", "published", URL).put("accessRules", new JsonArray()
                        .addNull())), new JsonArray());

        assertSame(AccessRules.NONE, route(read, "cu-hon").accessRules(), "absent: no rules");
        assertSame(AccessRules.NONE, route(read, "rong").accessRules());
        assertSame(AccessRules.NONE, route(read, "null").accessRules());

        for (String code : List.of("quy-tac", "cu")) {
            AccessRules rules = route(read, code).accessRules();
            assertFalse(rules.isEmpty(), code);
            assertEquals(AccessLevel.VIEW, rules.required("POST", "/search"), code);
            assertEquals(AccessLevel.USE, rules.required("POST", "/khai-sinh"), code);
            assertEquals(AccessLevel.SHARE, rules.required("GET", "/export/2026/11"), code);
            assertEquals(AccessLevel.UPDATE, rules.required("GET", "/records/5/history"), code);
            assertEquals(AccessLevel.SHARE, rules.required("DELETE", "/records/5"), code);
            assertEquals(AccessLevel.VIEW, rules.required("GET", "/records/5"), code);
        }
        // rules this gateway cannot read are not dropped (that could lower a requirement): share of everything
        for (String code : List.of("sai", "sai-path", "rule-null")) {
            AccessRules rules = route(read, code).accessRules();
            assertEquals(AccessLevel.SHARE, rules.required("GET", "/"), code);
            assertEquals(AccessLevel.SHARE, rules.required("GET", "/anything/else"), code);
        }
    }

    private static int status(String system, String method, String path) {
        return gateway().header("Authorization", "Bearer " + TestJwt.system(system,
                RoutingTestResource.CONSUMER_AGENCY, "production")).request(method, path).statusCode();
    }

    /** Polls until the gateway answers {@code expected} (the feed is polled every 200 ms in tests). */
    private static void awaitStatus(String system, String method, String path, int expected)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + 3000;
        int status = status(system, method, path);
        while (status != expected && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            status = status(system, method, path);
        }
        assertEquals(expected, status, system + " " + method + " " + path);
    }

    /** The change feed carries a subscription's level and a route's rules, each change taking effect as it comes. */
    @Test
    void levelsAndRulesFollowTheChangeFeed() throws Exception {
        StubPlatform platform = RoutingTestResource.platform();
        String system = "HTTT-NANGCAP";
        String path = "/ho-tich/v1/records/7";
        JsonObject sub = sub(system, null);
        // from an older catalog: no level, unrestricted
        platform.change("subscription", sub);
        awaitStatus(system, "PUT", path, 200);
        platform.change("subscription", sub.copy().put("accessLevel", "view"));
        awaitStatus(system, "PUT", path, 403);
        assertEquals(200, status(system, "GET", path));
        platform.change("subscription", sub.copy().put("accessLevel", "update"));
        awaitStatus(system, "PUT", path, 200);
        // a level from a newer catalog: held to view
        platform.change("subscription", sub.copy().put("accessLevel", "own"));
        awaitStatus(system, "POST", path, 403);
        assertEquals(200, status(system, "GET", path));

        // a version whose rules this gateway cannot read: share of every call, from the change feed too
        String code = "quy-tac-loi";
        String url = RoutingTestResource.upstream().baseUrl();
        platform.change("route", RoutingTestResource.route(code, "v1", "published", url));
        JsonObject editor = RoutingTestResource.sub(system, code, "v1", "production", null, null, null)
                .put("accessLevel", "update");
        platform.change("subscription", editor);
        awaitStatus(system, "GET", "/" + code + "/v1/x", 200);
        platform.change("route", RoutingTestResource.route(code, "v1", "published", url).put("accessRules",
                new JsonArray().add(new JsonObject().put("methods", new JsonArray().add("get")).put("path", "/x")
                        .put("level", "view"))));
        awaitStatus(system, "GET", "/" + code + "/v1/x", 403);
        platform.change("subscription", editor.copy().put("accessLevel", "share"));
        awaitStatus(system, "GET", "/" + code + "/v1/x", 200);
    }
}
