package vn.lgsp.routing.gateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vn.lgsp.routing.support.Gateway.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.core.tracing.TracingPolicy;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import vn.lgsp.routing.support.Gateway;
import vn.lgsp.routing.support.RoutingTestResource;
import vn.lgsp.routing.support.Tokens;

/** The data plane's own port: gateway paths only; admin, health and metrics stay on the Quarkus port. */
@QuarkusTest
@QuarkusTestResource(RoutingTestResource.class)
class DataPlaneServerTest {

    @Inject
    DataPlaneServer server;

    @Test
    void theDataPlaneHasAPortOfItsOwn() {
        assertTrue(Gateway.port() > 0);
        assertNotEquals(RestAssured.port, Gateway.port(), "not the Quarkus HTTP port");
    }

    @Test
    void onlyGatewayPathsAreServedOnTheDataPlanePort() {
        for (String path : new String[] {"/q/health/ready", "/q/metrics", "/.well-known/jwks.json", "/", "/ho-tich", "/ho-tich/latest/x"}) {
            gateway().header("X-Request-Id", "not-a-gateway-path-1").get(path).then().statusCode(404)
                    .contentType("application/problem+json")
                    .header("X-Request-Id", "not-a-gateway-path-1")
                    .body("type", equalTo("urn:lgsp:problem:not-found"))
                    .body("instance", equalTo(path))
                    .body("requestId", equalTo("not-a-gateway-path-1"));
        }
        // Shaped like a gateway path (service "api", version v1): the pipeline's, so an operator token gets no admin answer.
        gateway().header("Authorization", "Bearer " + vn.lgsp.testing.TestJwt.operator()).get("/api/v1/routing/status")
                .then().statusCode(401).contentType("application/problem+json")
                .body("type", equalTo("urn:lgsp:problem:unauthenticated"));
    }

    @Test
    void gatewayPathsAreNotServedOnTheQuarkusPort() {
        given().header("Authorization", Tokens.bearer(Tokens.consumer())).get("/ho-tich/v1/x").then().statusCode(404)
                .body("type", not(equalTo("urn:lgsp:problem:service-not-found")));
    }

    @Test
    void dataPlaneCallsAreMeasuredUnderOneUriTemplate() {
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).get("/ho-tich/v1/metrics-probe/1").then().statusCode(200);
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).get("/ho-tich/v1/metrics-probe/2").then().statusCode(200);
        String metrics = given().accept("text/plain").get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("http_server_requests_seconds_count{")
                && l.contains("uri=\"/{service}/{version}/*\"") && l.contains("status=\"200\"")), "data-plane series");
        assertTrue(metrics.lines().noneMatch(l -> l.contains("metrics-probe")), "no series per URL");
        assertTrue(metrics.lines().noneMatch(l -> l.startsWith("http_server_bytes_")),
                "no per-socket-write byte distributions (GatewayMeters)");
    }

    @Test
    void gatewayPathsAreServiceThenVersionThenAnything() {
        for (String yes : new String[] {"/ho-tich/v1", "/ho-tich/v1/", "/ho-tich/v12/a/b?c", "/a/v0/x", "/api/v1/x"}) {
            assertTrue(DataPlaneServer.isGatewayPath(yes), yes);
        }
        for (String no : new String[] {null, "", "/", "/ho-tich", "/ho-tich/", "/ho-tich/v", "/ho-tich/v1x", "/ho-tich/1",
                "//v1/x", "/ho-tich/V1/x", "/q/health", "/ho-tich/x/v1", "ho-tich/v1/x"}) {
            assertFalse(DataPlaneServer.isGatewayPath(no), String.valueOf(no));
        }
    }

    @Test
    void withoutATraceExporterNoServerSpanIsBuiltPerCall() {
        // Tests run with quarkus.otel.traces.exporter=none (libs/common): spans would be built and dropped.
        assertEquals(TracingPolicy.IGNORE, server.tracingPolicy());
    }

    @Test
    void forwardedHeadersFollowTheQuarkusProxySettings() {
        // %test: proxy-address-forwarding with X-Forwarded-* from 127.0.0.1 and ::1, as Helm's global.forwardedHeaders
        assertEquals(io.vertx.ext.web.AllowForwardHeaders.X_FORWARD, server.forwardedHeaders());
    }
}
