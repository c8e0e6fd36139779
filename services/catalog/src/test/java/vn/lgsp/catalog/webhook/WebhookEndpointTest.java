package vn.lgsp.catalog.webhook;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import vn.lgsp.catalog.Fixtures;
import vn.lgsp.catalog.RegistryStub;
import vn.lgsp.catalog.RegistryStub.Delivery;
import vn.lgsp.common.audit.AuditPublisher;
import vn.lgsp.common.httpsig.ContentDigest;
import vn.lgsp.common.httpsig.HttpSignatures;
import vn.lgsp.common.httpsig.SignedMessage;
import vn.lgsp.testing.PlatformTestResource;
import vn.lgsp.testing.StubUpstream;
import vn.lgsp.testing.TestJwt;

/** A subscriber moves, adds or removes its webhook after applying: PUT /api/v1/subscriptions/{id}/webhook. */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
@QuarkusTestResource(RegistryStub.class)
class WebhookEndpointTest {

    private static final String PROVIDER = TestJwt.agencyAdmin(RegistryStub.PROVIDER_AGENCY);
    private static final String CONSUMER = TestJwt.agencyAdmin(RegistryStub.CONSUMER_AGENCY);

    @Inject
    AuditPublisher auditPublisher;

    private static JsonPath subscribed(String code, String url) {
        Fixtures.published(code, "v1");
        JsonPath created = given().auth().oauth2(CONSUMER).contentType(ContentType.JSON)
                .body(Fixtures.subscriptionJson(code, "v1", RegistryStub.CONSUMER_SYSTEM, "production", url))
                .post("/api/v1/subscriptions").then().statusCode(201).extract().jsonPath();
        Fixtures.act(PROVIDER, created.getString("id"), "approve", "{}").statusCode(200);
        return created;
    }

    private static ValidatableResponse change(String token, String id, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .put("/api/v1/subscriptions/" + id + "/webhook").then();
    }

    private static void announceRetirement(String code) {
        given().auth().oauth2(PROVIDER).contentType(ContentType.JSON)
                .body("{\"retireAt\":\"" + Instant.now().plus(Duration.ofDays(61)) + "\",\"comment\":\"Ngừng v1\"}")
                .post("/api/v1/services/" + code + "/versions/v1/retirement-notice").then().statusCode(200);
    }

    private static List<Map<String, Object>> deliveries(String subscriptionId) {
        return given().auth().oauth2(CONSUMER).queryParam("subscriptionId", subscriptionId).get("/api/v1/webhook-deliveries")
                .then().statusCode(200).extract().jsonPath().getList("items");
    }

    private static <T> T await(Supplier<T> probe, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what);
    }

    private static Delivery received(String path) throws InterruptedException {
        return await(() -> RegistryStub.DELIVERIES.stream().filter(x -> x.path().equals(path)).findFirst().orElse(null),
                Duration.ofSeconds(10), "a webhook at " + path);
    }

    private static String verifiedKeyId(Delivery d, String keyId, String secret) {
        ContentDigest.verify(d.header("content-digest"), d.body());
        SignedMessage message = SignedMessage.of(d.method(), "http", d.host(), d.path(), d.query(), d.headers());
        Map<String, Boolean> nonces = new ConcurrentHashMap<>();
        return HttpSignatures.verify(message, true, id -> id.equals(keyId) ? List.of(HttpSignatures.keyBytes(secret)) : List.of(),
                (id, nonce, until) -> nonces.putIfAbsent(id + nonce, true) == null, Clock.systemUTC()).keyId();
    }

    /**
     * The old receiver hangs on the first attempt; meanwhile the subscriber moves its webhook. The delivery still to
     * be made goes to the new receiver, signed with the same secret, and the change is audited.
     */
    @Test
    void movingTheReceiverTakesThePendingDeliveriesAlong() throws Exception {
        try (StubUpstream old = StubUpstream.start()) {
            String code = Fixtures.service("shared", false);
            JsonPath sub = subscribed(code, old.baseUrl() + "/delay/60000");
            String id = sub.getString("id");
            announceRetirement(code);
            await(() -> old.received().isEmpty() ? null : true, Duration.ofSeconds(10), "the attempt at the old receiver");

            String newPath = "/hooks/moved-" + code;
            change(CONSUMER, id, "{\"webhookUrl\":\"" + RegistryStub.hookUrl("moved-" + code) + "\"}").statusCode(200)
                    .body("webhookUrl", equalTo(RegistryStub.hookUrl("moved-" + code))).body("pendingDeliveries", equalTo(1))
                    .body("webhookSecret", nullValue());

            Delivery d = received(newPath);
            assertEquals(sub.getString("webhookKeyId"), verifiedKeyId(d, sub.getString("webhookKeyId"), sub.getString("webhookSecret")),
                    "moving keeps the secret");
            Map<String, Object> record = await(() -> deliveries(id).stream().filter(x -> "delivered".equals(x.get("status")))
                    .findFirst().orElse(null), Duration.ofSeconds(10), "delivered");
            assertEquals(RegistryStub.hookUrl("moved-" + code), record.get("url"));
            assertEquals(2, record.get("attempts"), "one timed out at the old receiver, one delivered at the new");
            assertEquals(1, old.received().size());
            assertTrue(auditPublisher.snapshot().stream().anyMatch(e -> "subscription.webhook.change".equals(e.action())
                    && id.equals(e.resourceId()) && e.before().toString().contains("/delay/60000")
                    && e.after().toString().contains("moved-" + code)), "the change is audited with both URLs");
        }
    }

    @Test
    void aWebhookAddedLaterGetsASecretOfItsOwnAndCanBeRemovedAgain() throws Exception {
        String code = Fixtures.service("shared", false);
        String id = subscribed(code, null).getString("id");
        given().auth().oauth2(CONSUMER).post("/api/v1/subscriptions/" + id + "/webhook-secret").then().statusCode(409);

        JsonPath added = change(CONSUMER, id, "{\"webhookUrl\":\"" + RegistryStub.hookUrl("added-" + code) + "\"}")
                .statusCode(200).header("Cache-Control", "no-store").body("pendingDeliveries", equalTo(0))
                .body("webhookKeyId", equalTo(id + ".2")).body("webhookSecret", startsWith("whsec_")).extract().jsonPath();
        given().auth().oauth2(CONSUMER).get("/api/v1/subscriptions/" + id).then().statusCode(200)
                .body("webhookUrl", equalTo(RegistryStub.hookUrl("added-" + code))).body("webhookSecret", nullValue());
        assertFalse(auditPublisher.snapshot().stream().filter(e -> "subscription.webhook.change".equals(e.action()))
                .anyMatch(e -> String.valueOf(e.after()).contains("whsec_")), "the secret is never audited");

        announceRetirement(code);
        Delivery d = received("/hooks/added-" + code);
        assertEquals(id + ".2", verifiedKeyId(d, id + ".2", added.getString("webhookSecret")));

        change(CONSUMER, id, "{\"webhookUrl\":null}").statusCode(200).body("webhookUrl", nullValue());
        given().auth().oauth2(CONSUMER).post("/api/v1/subscriptions/" + id + "/webhook-secret").then().statusCode(409);
    }

    @Test
    void removingTheWebhookGivesUpTheDeliveriesNotYetMade() throws Exception {
        try (StubUpstream hanging = StubUpstream.start()) {
            String code = Fixtures.service("shared", false);
            String id = subscribed(code, hanging.baseUrl() + "/delay/60000").getString("id");
            announceRetirement(code);
            await(() -> hanging.received().isEmpty() ? null : true, Duration.ofSeconds(10), "the first attempt");
            change(CONSUMER, id, "{\"webhookUrl\":null}").statusCode(200).body("pendingDeliveries", equalTo(1));
            Map<String, Object> d = deliveries(id).get(0);
            assertEquals("failed", d.get("status"));
            assertEquals("the subscriber removed its webhook", d.get("lastError"));
            Thread.sleep(1500);
            assertEquals(1, hanging.received().size(), "not attempted again");
            long deliveryId = ((Number) d.get("id")).longValue();
            given().auth().oauth2(CONSUMER).post("/api/v1/webhook-deliveries/" + deliveryId + "/redeliver").then()
                    .statusCode(409).body("errors[0].field", equalTo("webhookUrl"));

            // a webhook again: a redelivery goes to where webhooks go now, not where the original went
            change(CONSUMER, id, "{\"webhookUrl\":\"" + RegistryStub.hookUrl("back-" + code) + "\"}").statusCode(200);
            given().auth().oauth2(CONSUMER).post("/api/v1/webhook-deliveries/" + deliveryId + "/redeliver").then()
                    .statusCode(202).body("url", equalTo(RegistryStub.hookUrl("back-" + code)));
            received("/hooks/back-" + code);
        }
    }

    @Test
    void onlyTheConsumerSideMayChangeItAndTheUrlFollowsTheApplicationRules() {
        String code = Fixtures.service("shared", false);
        String id = subscribed(code, RegistryStub.hookUrl("rules-" + code)).getString("id");
        String body = "{\"webhookUrl\":\"" + RegistryStub.hookUrl("elsewhere") + "\"}";

        change(TestJwt.agencyAdmin(RegistryStub.THIRD_AGENCY), id, body).statusCode(404)
                .contentType("application/problem+json");
        change(PROVIDER, id, body).statusCode(404);
        change(TestJwt.auditor(), id, body).statusCode(403);
        change(CONSUMER, id, "{\"webhookUrl\":\"ftp://files.example.vn/x\"}").statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("webhookUrl"))
                .body("errors[0].rule", equalTo("httpUrl"));
        change(CONSUMER, id, "{\"webhookUrl\":\"http://169.254.169.254/latest\"}").statusCode(400)
                .body("errors[0].field", equalTo("webhookUrl")).body("errors[0].rule", equalTo("publicAddress"));
        change(CONSUMER, id, "{\"webhookUrl\":\"https://x.vn/" + "a".repeat(2100) + "\"}").statusCode(400)
                .body("errors[0].field", equalTo("webhookUrl"));
        given().auth().oauth2(CONSUMER).contentType(ContentType.JSON).put("/api/v1/subscriptions/" + id + "/webhook").then()
                .statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(CONSUMER).get("/api/v1/subscriptions/" + id).then()
                .body("webhookUrl", equalTo(RegistryStub.hookUrl("rules-" + code)));

        change(TestJwt.operator(), id, body).statusCode(200);
        Fixtures.act(CONSUMER, id, "end", "{}").statusCode(200);
        change(CONSUMER, id, "{\"webhookUrl\":null}").statusCode(409).contentType("application/problem+json")
                .body("errors[0].field", equalTo("status"));
    }
}
