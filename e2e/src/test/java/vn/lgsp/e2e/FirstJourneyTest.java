package vn.lgsp.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import vn.lgsp.e2e.PlatformClient.Reply;

/**
 * The first journey (An Giang Art. 12's token flow) across the five real services, each its own JVM and
 * HTTP server, on one real PostgreSQL: an operator sets up two agencies, their systems, a published
 * service pointing at a stub provider and an approved subscription; the consumer exchanges its key and
 * secret for a token, calls through the gateway, gets the provider's answer; audit shows the transaction.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FirstJourneyTest {

    static Platform platform;
    static PlatformClient client;
    static DemoData.World world;
    static String consumerToken;

    @BeforeAll
    static void startPlatform() {
        platform = SharedPlatform.get();
        client = PlatformClient.of(platform);
    }

    @Test
    @Order(1)
    void everyServiceExposesHealthWithItsDatabaseOpenApiAndMetrics() {
        for (String service : Platform.DEFAULT_PORTS.keySet()) {
            Reply ready = client.get(service, "/q/health/ready", null).expect(200);
            assertTrue(ready.raw().contains("PostgreSQL"), service + " readiness must include its database check: " + ready.raw());
            Reply openapi = client.get(service, "/q/openapi?format=json", null).expect(200);
            assertTrue(openapi.json().has("paths"), service + " must serve its OpenAPI document");
            Reply metrics = client.get(service, "/q/metrics", null, Map.of("Accept", "text/plain")).expect(200);
            assertTrue(metrics.raw().contains("jvm_"), service + " must serve Prometheus metrics");
        }
    }

    @Test
    @Order(2)
    void operatorSetsUpTheWorldAndTheConsumerGetsAToken() {
        world = DemoData.create(client, platform.operatorUsername(), platform.operatorPassword(), platform.providerUrl());
        assertFalse(world.clientId().isBlank(), "a consumer key is issued");
        assertFalse(world.clientSecret().isBlank(), "the secret is shown once, at issue");

        Reply token = client.token(world.clientId(), world.clientSecret()).expect(200);
        assertEquals("Bearer", token.json().path("token_type").asText());
        assertEquals(3600, token.json().path("expires_in").asInt(), "An Giang Art. 12: tokens live 1 hour by default");
        assertTrue(token.json().path("scope").asText().contains(DemoData.SERVICE + ":" + DemoData.VERSION),
                "the token's scope lists the subscribed service version: " + token.raw());
        assertEquals("no-store", token.header("cache-control"));
        consumerToken = token.json().path("access_token").asText();

        Reply wrong = client.token(world.clientId(), "not-the-secret");
        assertEquals(401, wrong.status());
        assertEquals("invalid_client", wrong.json().path("error").asText());
    }

    @Test
    @Order(3)
    void theConsumerCallsThroughTheGatewayAndAuditShowsTheTransaction() {
        assertNotNull(consumerToken, "the previous step issued a token");
        String path = "/" + DemoData.SERVICE + "/" + DemoData.VERSION + "/so-ho-tich?ma=123";
        // routing learns of the new subscription from catalog's feed within its snapshot delay (target 2 s)
        Reply answer = eventually(Duration.ofSeconds(5), () -> client.get("gateway", path, consumerToken),
                r -> r.status() == 200);
        assertEquals(200, answer.status(), answer.raw());
        assertEquals("lgsp-stub-upstream", answer.json().path("provider").asText(), "the upstream's own answer comes back");
        assertEquals("/so-ho-tich", answer.json().path("path").asText(), "the gateway strips /{service}/{version}");
        JsonNode forwarded = answer.json().path("headers");
        assertFalse(forwarded.has("authorization"), "the consumer's credentials never reach the provider");
        assertTrue(forwarded.has("x-lgsp-gateway-assertion"), "the provider receives the signed gateway assertion");
        String requestId = answer.header("x-request-id");
        assertNotNull(requestId, "the gateway answers with the request id");

        long start = System.nanoTime();
        Reply events = eventually(Duration.ofSeconds(2), () -> client.get("audit",
                "/api/v1/events?requestId=" + requestId, world.operatorToken()),
                r -> r.status() == 200 && r.json().path("items").size() == 1);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(1, events.json().path("items").size(), "audit shows the transaction within 2 s: " + events.raw());
        JsonNode event = events.json().path("items").get(0).path("event");
        assertEquals(DemoData.CONSUMER_SYSTEM, event.path("consumerSystem").asText());
        assertEquals(DemoData.SERVICE, event.path("serviceCode").asText());
        assertEquals(DemoData.VERSION, event.path("serviceVersion").asText());
        assertEquals(200, event.path("status").asInt());
        assertTrue(event.has("latencyMs") && event.path("latencyMs").asLong() >= 0, "latency is recorded");
        assertEquals(64, event.path("responseSha256").asText().length(), "the body's hash, never the body");
        System.out.println("audit showed the transaction after " + millis + " ms");
    }

    @Test
    @Order(4)
    void callsWithoutATokenForAnotherSystemOrToAnUnknownServiceAreProblems() {
        String path = "/" + DemoData.SERVICE + "/" + DemoData.VERSION + "/so-ho-tich";
        Reply anonymous = client.get("gateway", path, null);
        assertProblem(anonymous, 401);

        // a second consumer system with its own valid credentials but no subscription
        client.post("registry", "/api/v1/systems", world.operatorToken(), DemoData.system("HTTT-KHAC",
                "Hệ thống khác", DemoData.CONSUMER_AGENCY, "http://127.0.0.1:9")).expect(201);
        JsonNode cred = client.post("auth", "/api/v1/credentials", world.operatorToken(),
                DemoData.credential("HTTT-KHAC", DemoData.CONSUMER_AGENCY)).expect(201).json();
        String otherToken = client.token(cred.path("clientId").asText(), cred.path("clientSecret").asText())
                .expect(200).json().path("access_token").asText();
        Reply notSubscribed = client.get("gateway", path, otherToken);
        assertProblem(notSubscribed, 403);

        // subscribed and approved, but for a period of use that starts tomorrow (the province's calendar): refused,
        // and the problem says why
        java.time.LocalDate tomorrow = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Ho_Chi_Minh")).plusDays(1);
        Map<String, Object> later = DemoData.subscription("HTTT-KHAC");
        later.put("periodStart", tomorrow.toString());
        later.put("periodEnd", tomorrow.plusDays(30).toString());
        String laterId = client.post("catalog", "/api/v1/subscriptions", world.operatorToken(), later).expect(201)
                .json().path("id").asText();
        client.post("catalog", "/api/v1/subscriptions/" + laterId + "/approve", world.operatorToken(),
                Map.of("reason", "từ ngày mai")).expect(200);
        Reply early = eventually(Duration.ofSeconds(5), () -> client.get("gateway", path, otherToken),
                r -> r.status() == 403 && r.json().path("detail").asText().contains("has not started"));
        assertProblem(early, 403);
        assertTrue(early.json().path("detail").asText().contains("from " + tomorrow), early.raw());

        Reply unknown = client.get("gateway", "/khong-ton-tai/v1/x", consumerToken);
        assertProblem(unknown, 404);
    }

    @Test
    @Order(5)
    void aSuspendedSubscriptionIsRefusedWithinTwoSecondsAndAcceptedAgainAfterResume() {
        String path = "/" + DemoData.SERVICE + "/" + DemoData.VERSION + "/so-ho-tich";
        client.post("catalog", "/api/v1/subscriptions/" + world.subscriptionId() + "/suspend", world.operatorToken(),
                java.util.Map.of("reason", "kiểm tra")).expect(200);
        long start = System.nanoTime();
        Reply refused = eventually(Duration.ofSeconds(2), () -> client.get("gateway", path, consumerToken),
                r -> r.status() == 403);
        assertProblem(refused, 403);
        System.out.println("suspension enforced after " + (System.nanoTime() - start) / 1_000_000 + " ms");

        client.post("catalog", "/api/v1/subscriptions/" + world.subscriptionId() + "/resume", world.operatorToken(),
                java.util.Map.of("reason", "xong")).expect(200);
        start = System.nanoTime();
        Reply accepted = eventually(Duration.ofSeconds(2), () -> client.get("gateway", path, consumerToken),
                r -> r.status() == 200);
        assertEquals(200, accepted.status(), accepted.raw());
        System.out.println("resumption enforced after " + (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    @Test
    @Order(6)
    void aViewOnlySubscriptionReadsButCannotWriteUntilTheProviderGrantsMoreWithinTwoSeconds() {
        String path = "/" + DemoData.SERVICE + "/" + DemoData.VERSION + "/so-ho-tich";
        byte[] body = "{\"ma\":\"123\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Map<String, String> asConsumer = Map.of("Authorization", "Bearer " + consumerToken, "Content-Type", "application/json");
        // REQUIREMENTS A3: the operator lowers the demo subscription (granted 'use') to reading only
        setLevel("view", "Rà soát phân quyền: chỉ tra cứu");
        long start = System.nanoTime();
        Reply refused = eventually(Duration.ofSeconds(2), () -> client.request("gateway", "POST", path, asConsumer, body),
                r -> r.status() == 403);
        assertProblem(refused, 403);
        System.out.println("lowered access level enforced after " + (System.nanoTime() - start) / 1_000_000 + " ms");
        assertEquals("urn:lgsp:problem:access-level", refused.json().path("type").asText(), refused.raw());
        assertTrue(refused.json().path("detail").asText().contains("grants view"), refused.raw());
        assertEquals(200, client.get("gateway", path, consumerToken).status(), "reading is still allowed");
        // the refusal is in the audit log as a violation (REQUIREMENTS M2), with its own error type
        String requestId = refused.header("x-request-id");
        Reply events = eventually(Duration.ofSeconds(5), () -> client.get("audit", "/api/v1/events?requestId=" + requestId,
                world.operatorToken()), r -> r.status() == 200 && r.json().path("items").size() == 1);
        JsonNode event = events.json().path("items").get(0).path("event");
        assertEquals(403, event.path("status").asInt(), events.raw());
        assertEquals("access-level", event.path("errorType").asText(), events.raw());

        // Raising it again is the provider's to grant: the consumer side asks, the provider side approves, and routing
        // lets the writes through within seconds of the approval.
        Map<String, String> asOperator = Map.of("Authorization", "Bearer " + world.operatorToken(), "Content-Type",
                "application/json");
        Reply asked = client.request("catalog", "POST", "/api/v1/subscriptions/" + world.subscriptionId() + "/change-requests",
                asOperator, PlatformClient.write(Map.of("accessLevel", "use", "reason", "Cần tiếp nhận hồ sơ trực tuyến"))
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)).expect(201);
        client.request("catalog", "POST", "/api/v1/change-requests/" + asked.json().path("id").asText() + "/approve",
                asOperator, "{\"reason\":\"Khôi phục quyền khai thác\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .expect(200);
        Reply accepted = eventually(Duration.ofSeconds(2), () -> client.request("gateway", "POST", path, asConsumer, body),
                r -> r.status() == 200);
        assertEquals(200, accepted.status(), accepted.raw());
    }

    private static void setLevel(String level, String reason) {
        client.request("catalog", "PUT", "/api/v1/subscriptions/" + world.subscriptionId() + "/access-level",
                Map.of("Authorization", "Bearer " + world.operatorToken(), "Content-Type", "application/json"),
                PlatformClient.write(Map.of("accessLevel", level, "reason", reason))
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)).expect(200);
    }

    @Test
    @Order(7)
    void aRevokedCredentialIsRefusedByTheGatewayWithinTwoSeconds() {
        String path = "/" + DemoData.SERVICE + "/" + DemoData.VERSION + "/so-ho-tich";
        client.post("auth", "/api/v1/credentials/revoke", world.operatorToken(),
                java.util.Map.of("systemCode", DemoData.CONSUMER_SYSTEM, "environment", DemoData.ENVIRONMENT)).expect(200);
        long start = System.nanoTime();
        Reply refused = eventually(Duration.ofSeconds(2), () -> client.get("gateway", path, consumerToken),
                r -> r.status() == 401);
        assertProblem(refused, 401);
        System.out.println("revocation enforced after " + (System.nanoTime() - start) / 1_000_000 + " ms");
        Reply noToken = client.token(world.clientId(), world.clientSecret());
        assertEquals(401, noToken.status(), "a revoked credential gets no new token: " + noToken.raw());
        assertEquals("invalid_client", noToken.json().path("error").asText());
    }

    private static void assertProblem(Reply reply, int status) {
        assertEquals(status, reply.status(), reply.raw());
        assertTrue(reply.contentType() != null && reply.contentType().startsWith("application/problem+json"),
                "problem+json expected, got " + reply.contentType());
        assertEquals(status, reply.json().path("status").asInt());
        assertTrue(reply.json().path("type").asText().startsWith("urn:lgsp:problem:"), reply.raw());
        assertFalse(reply.json().path("detail").asText().isBlank(), "the problem says what went wrong");
    }

    static Reply eventually(Duration timeout, Supplier<Reply> call, java.util.function.Predicate<Reply> done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Reply last = call.get();
        while (!done.test(last) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            last = call.get();
        }
        return last;
    }

}
