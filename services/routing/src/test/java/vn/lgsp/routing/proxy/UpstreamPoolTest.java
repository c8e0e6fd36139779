package vn.lgsp.routing.proxy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vn.lgsp.routing.support.Gateway.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import vn.lgsp.routing.support.Gateway;
import vn.lgsp.routing.support.RoutingTestResource;
import vn.lgsp.testing.StubUpstream;
import vn.lgsp.testing.TestJwt;
import vn.lgsp.routing.support.Tokens;

/**
 * A version's maxConnections (catalog) bounds the connections, hence the concurrent calls, its provider receives
 * from the gateway; the calls beyond it wait and are served; an edited cap applies to the next calls.
 */
@QuarkusTest
@QuarkusTestResource(RoutingTestResource.class)
class UpstreamPoolTest {

    private static final String CODE = "hep";
    private static final int CALLERS = 8;
    /** The provider holds each call 300 ms; its own path, so calls other tests left waiting are not counted. */
    private static final String PROVIDER_PATH = "/delay/300/upstream-pool-test";

    @Inject
    UpstreamClients clients;

    @Test
    void theShareIsTheCapOverReplicasAndEventLoopsRoundedUpAtLeastOne() {
        assertEquals(16, UpstreamClients.share(64, 2, 2));
        assertEquals(11, UpstreamClients.share(64, 3, 2), "rounded up");
        assertEquals(1, UpstreamClients.share(2, 4, 2), "never below one connection per event loop");
        assertEquals(1, UpstreamClients.share(0, 1, 1), "a missing cap still lets calls through");
        assertEquals(10_000, UpstreamClients.share(10_000, 0, 1), "no replica count yet counts as one");
    }

    @Test
    void theCapBoundsConcurrentCallsToTheProviderAndAnEditedCapAppliesToTheNextCalls() throws Exception {
        var platform = RoutingTestResource.platform();
        StubUpstream upstream = RoutingTestResource.upstream();
        JsonObject route = RoutingTestResource.route(CODE, "v1", "published", upstream.baseUrl()).put("maxConnections", 2);
        platform.change("route", route);
        platform.change("subscription", RoutingTestResource.sub(RoutingTestResource.CONSUMER, CODE, "v1", "production",
                null, null, null));
        awaitPerEventLoop(clients.connectionsPerEventLoop(2));

        // At most ⌈2 ÷ (replicas × loops)⌉ per event loop: with one replica, one connection on each loop.
        int bound = clients.connectionsPerEventLoop(2) * clients.eventLoops();
        double waitsBefore = metric("lgsp_gateway_upstream_connection_wait_seconds_count");
        double longWaitsBefore = waitsBefore - metric("lgsp_gateway_upstream_connection_wait_seconds_bucket", "le=\"0.25\"");
        double answersBefore = metric("lgsp_gateway_upstream_response_seconds_count", "outcome=\"2xx\"");
        double slowAnswersBefore = answersBefore
                - metric("lgsp_gateway_upstream_response_seconds_bucket", "outcome=\"2xx\"", "le=\"0.25\"");
        upstream.resetConcurrency(PROVIDER_PATH);
        callAllAtOnce();
        int narrow = upstream.mostConcurrentDelayed(PROVIDER_PATH);
        assertTrue(narrow >= 1 && narrow <= bound, "at most " + bound + " calls at once at the provider, saw " + narrow);
        // The provider meters show it: every call waited for a connection, those queued behind a 300 ms call more
        // than 250 ms; each answer took the provider's 300 ms.
        assertEquals(CALLERS, metric("lgsp_gateway_upstream_connection_wait_seconds_count") - waitsBefore, 0.0);
        double longWaits = metric("lgsp_gateway_upstream_connection_wait_seconds_count")
                - metric("lgsp_gateway_upstream_connection_wait_seconds_bucket", "le=\"0.25\"") - longWaitsBefore;
        assertTrue(longWaits >= CALLERS - bound, "calls beyond the cap waited: " + longWaits);
        double answers = metric("lgsp_gateway_upstream_response_seconds_count", "outcome=\"2xx\"");
        assertEquals(CALLERS, answers - answersBefore, 0.0);
        assertEquals(CALLERS, answers - metric("lgsp_gateway_upstream_response_seconds_bucket", "outcome=\"2xx\"",
                "le=\"0.25\"") - slowAnswersBefore, 0.0, "each answer took the provider's 300 ms");

        // A wider cap through the change feed: the same calls now reach the provider together.
        platform.change("route", route.copy().put("maxConnections", 64));
        awaitPerEventLoop(clients.connectionsPerEventLoop(64));
        upstream.resetConcurrency(PROVIDER_PATH);
        callAllAtOnce();
        int wide = upstream.mostConcurrentDelayed(PROVIDER_PATH);
        assertTrue(wide > bound, "with 64 connections more than " + bound + " calls at once, saw " + wide);
    }

    /** The sum of hep/v1's samples of a meter on /q/metrics whose labels contain all the given fragments. */
    private static double metric(String name, String... labels) {
        String text = given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString();
        double sum = 0;
        for (String line : text.split("\n")) {
            if (!line.startsWith(name + "{") || !line.contains("service_code=\"" + CODE + "\"")
                    || !line.contains("service_version=\"v1\"")) {
                continue;
            }
            boolean all = true;
            for (String l : labels) {
                all &= line.contains(l);
            }
            if (all) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    /** CALLERS concurrent calls, each on its own connection, each held 300 ms by the provider; all must succeed. */
    private static void callAllAtOnce() {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + Gateway.port() + "/" + CODE + "/v1" + PROVIDER_PATH))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", Tokens.bearer(Tokens.consumer())).GET().build();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
            calls.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.join();
            assertEquals(200, response.statusCode(), response.body());
        }
    }

    /** Waits until the admin status shows the expected per-loop connections for hep/v1 (the feed is polled). */
    private static void awaitPerEventLoop(int expected) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < deadline) {
            Integer shown = given().header("Authorization", "Bearer " + TestJwt.operator()).get("/api/v1/routing/status")
                    .then().statusCode(200).extract().path("upstreamPools.connectionsPerEventLoop.'" + CODE + "/v1'");
            if (shown != null && shown == expected) {
                gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).get("/" + CODE + "/v1/echo").then()
                        .statusCode(200).body("path", equalTo("/echo"));
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the status never showed " + expected + " connections per event loop for " + CODE + "/v1");
    }
}
