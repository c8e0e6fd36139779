package vn.lgsp.routing.gateway.step;

import static vn.lgsp.routing.support.Gateway.gateway;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import vn.lgsp.common.audit.AuditEvent;
import vn.lgsp.common.audit.AuditPublisher;
import vn.lgsp.routing.support.Gateway;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import vn.lgsp.routing.support.Recorded;
import vn.lgsp.routing.support.RoutingTestResource;
import vn.lgsp.routing.support.StubPlatform;
import vn.lgsp.routing.support.Tokens;

@QuarkusTest
@QuarkusTestResource(RoutingTestResource.class)
class ProxyStepTest {

    @Inject
    AuditPublisher publisher;

    @Test
    void bodiesStreamThroughAndUpstreamStatusesPassUntouched() throws Exception {
        byte[] body = "{\"soDinhDanh\":\"001099000001\"}".getBytes();
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).contentType("application/json").body(body)
                .post("/ho-tich/v1/tra-cuu").then().statusCode(200)
                .body("method", equalTo("POST"))
                .body("bodyBytes", equalTo(body.length))
                .body("bodySha256", equalTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body))));
        // The provider's own errors are its answer, not the gateway's: no problem document.
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).get("/ho-tich/v1/status/503").then()
                .statusCode(503).contentType("application/json").body("status", equalTo(503));
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).get("/ho-tich/v1/status/404").then()
                .statusCode(404).contentType("application/json");
    }

    @Test
    void aDeclaredBodyOverTheVersionLimitIs413() {
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).contentType("application/octet-stream")
                .body(new byte[4096]).post("/ho-tich/v1/upload").then().statusCode(413)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:lgsp:problem:payload-too-large"))
                .body("detail", containsString("1024"));
    }

    @Test
    void aStreamedBodyOverTheLimitIs413WhileCounting() throws Exception {
        // No Content-Length: the limit can only be enforced by counting while streaming.
        assertStreamedUploadIs413(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), 4096);
    }

    /** POSTs {@code bytes} without Content-Length (an InputStream body goes out chunked) and expects the 413 problem. */
    private static HttpResponse<String> assertStreamedUploadIs413(HttpClient client, int bytes) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + Gateway.port() + "/ho-tich/v1/upload"))
                .timeout(java.time.Duration.ofSeconds(10))
                .header("Authorization", Tokens.bearer(Tokens.consumer()))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[bytes])))
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(413, response.statusCode());
        assertTrue(response.body().contains("urn:lgsp:problem:payload-too-large"), response.body());
        return response;
    }

    @Test
    void a413ReachesACallerStillSendingItsBody() throws Exception {
        // 1 MiB against a 1 KiB limit: the caller is still sending when the 413 is written. Closing the connection
        // with its bytes unread would reset it (RST) and the caller could lose the answer: the gateway reads and
        // drops the rest for a moment first (nginx's lingering close).
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        for (int i = 0; i < 5; i++) {
            assertStreamedUploadIs413(client, 1024 * 1024);
        }
    }

    @Test
    void overHttp2TheTooLargeStreamIsRefusedNotTheConnection() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        String base = "http://localhost:" + Gateway.port() + "/ho-tich/v1/";
        HttpResponse<String> first = client.send(HttpRequest.newBuilder(URI.create(base + "echo"))
                .header("Authorization", Tokens.bearer(Tokens.consumer())).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, first.statusCode());
        assertEquals(HttpClient.Version.HTTP_2, first.version(), "cleartext upgrade to HTTP/2 (h2c)");
        HttpResponse<String> refused = assertStreamedUploadIs413(client, 256 * 1024);
        assertEquals(HttpClient.Version.HTTP_2, refused.version());
        assertEquals(200, client.send(HttpRequest.newBuilder(URI.create(base + "echo"))
                .header("Authorization", Tokens.bearer(Tokens.consumer())).GET().build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void aSlowProviderIs504AfterTheVersionTimeout() {
        long start = System.currentTimeMillis();
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).get("/ho-tich/v1/delay/3000").then()
                .statusCode(504).contentType("application/problem+json")
                .body("type", equalTo("urn:lgsp:problem:gateway-timeout"))
                .body("detail", containsString("500 ms"));
        long took = System.currentTimeMillis() - start;
        assertTrue(took < 2500, "the gateway must give up at the version's timeout, took " + took + " ms");
    }

    @Test
    void aProviderStallingMidBodyIsCutOffAfterTheVersionTimeoutAndRecorded() throws Exception {
        // The stub starts a chunked answer at once, then sends nothing for 3 s; the version's timeout is 500 ms.
        String requestId = "stall-" + System.nanoTime();
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + Gateway.port() + "/ho-tich/v1/stall/3000"))
                .header("Authorization", Tokens.bearer(Tokens.consumer())).header("X-Request-Id", requestId).build();
        long start = System.currentTimeMillis();
        HttpResponse<java.io.InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode(), "the provider's head reached the caller before it stalled");
        try (java.io.InputStream body = response.body()) {
            assertThrows(java.io.IOException.class, body::readAllBytes, "a cut-off answer must not look complete");
        }
        long took = System.currentTimeMillis() - start;
        assertTrue(took < 2500, "the gateway must cut a stalled provider off at the version's timeout, took " + took + " ms");
        AuditEvent e = recorded(requestId);
        assertEquals("upstream-stalled", e.errorType());
        assertEquals("first part;".length(), e.responseBytes());
        assertNull(e.responseSha256(), "no digest of an answer that never completed");
    }

    @Test
    void aProviderThatKeepsSendingIsNotCutOffByTheTimeout() {
        // Six chunks 200 ms apart: 1.2 s in all, more than twice the 500 ms timeout, but never 500 ms without data.
        String body = gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).get("/ho-tich/v1/drip/6").then()
                .statusCode(200).extract().asString();
        assertEquals("chunk;".repeat(6), body);
    }

    @Test
    void aRetryGetsOnlyWhatIsLeftOfTheVersionTimeout() throws Exception {
        // A provider of its own (its own circuit: breakers are per host and port), timeout 2000 ms. It takes each
        // GET and hangs up 1200 ms later without answering. The retry has the 800 ms left, not a fresh 2000: the
        // caller gets 504 at the version's timeout, where a fresh timeout would have let the retry be hung up on
        // too, 2400 ms in, and answered 502 — the caller waiting longer than the version allows. (The hang-up may
        // come up to 750 ms late on a busy box and still leave the 50 ms a retry needs.)
        try (vn.lgsp.testing.StubUpstream provider = vn.lgsp.testing.StubUpstream.start()) {
            StubPlatform platform = RoutingTestResource.platform();
            platform.change("route", RoutingTestResource.route("goi-lai", "v1", "published", provider.baseUrl())
                    .put("timeoutMs", 2000));
            platform.change("subscription", RoutingTestResource.sub(RoutingTestResource.CONSUMER, "goi-lai", "v1",
                    "production", null, null, null));
            long deadline = System.currentTimeMillis() + 5000;
            while (gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).get("/goi-lai/v1/x").statusCode() != 200
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            String requestId = "retry-" + System.nanoTime();
            gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).header("X-Request-Id", requestId)
                    .get("/goi-lai/v1/hangup/1200").then().statusCode(504).contentType("application/problem+json")
                    .body("type", equalTo("urn:lgsp:problem:gateway-timeout"))
                    .body("detail", containsString("2000 ms"));
            long attempts = provider.received().stream().filter(h -> requestId.equals(h.get("x-request-id"))).count();
            assertEquals(2, attempts, "the GET was retried once after the provider hung up");
        }
    }

    private AuditEvent recorded(String requestId) throws InterruptedException {
        return Recorded.byRequestId(publisher, requestId);
    }

    @Test
    void anUnreachableProviderIs502ThenTheCircuitOpensWith503() {
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).get("/dong/v1/x").then().statusCode(502)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:lgsp:problem:bad-gateway"))
                .body("detail", containsString("connection refused"));
        // A GET is tried twice (one retry), so with five consecutive failures to open the circuit the third call
        // still answers 502 (its retry is refused by the now open breaker) and the fourth is refused up front.
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).get("/dong/v1/x").then().statusCode(502);
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).get("/dong/v1/x").then().statusCode(502);
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).get("/dong/v1/x").then().statusCode(503)
                .body("type", equalTo("urn:lgsp:problem:provider-circuit-open"))
                .header("Retry-After", org.hamcrest.Matchers.notNullValue());
    }
}
