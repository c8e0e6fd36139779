package vn.lgsp.catalog.webhook;

import static io.restassured.RestAssured.given;
import static vn.lgsp.catalog.webhook.WebhookFixtures.PROVIDER;
import static vn.lgsp.catalog.webhook.WebhookFixtures.CONSUMER;
import static vn.lgsp.catalog.webhook.WebhookFixtures.subscribed;
import static vn.lgsp.catalog.webhook.WebhookFixtures.announceRetirement;
import static vn.lgsp.catalog.webhook.WebhookFixtures.await;
import static vn.lgsp.catalog.webhook.WebhookFixtures.deliveries;
import static vn.lgsp.catalog.webhook.WebhookFixtures.received;
import static vn.lgsp.catalog.webhook.WebhookFixtures.verify;
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
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.lgsp.catalog.Fixtures;
import vn.lgsp.catalog.RegistryStub;
import vn.lgsp.catalog.RegistryStub.Delivery;
import vn.lgsp.common.audit.AuditPublisher;
import vn.lgsp.testing.PlatformTestResource;
import vn.lgsp.testing.StubUpstream;
import vn.lgsp.testing.TestJwt;

/** A subscriber moves, adds or removes its webhook after applying: PUT /api/v1/subscriptions/{id}/webhook. */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
@QuarkusTestResource(RegistryStub.class)
class WebhookEndpointTest {

    @Inject
    AuditPublisher auditPublisher;

    private static ValidatableResponse change(String token, String id, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .put("/api/v1/subscriptions/" + id + "/webhook").then();
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
            assertEquals(sub.getString("webhookKeyId"), verify(d, sub.getString("webhookKeyId"), sub.getString("webhookSecret")).keyId(),
                    "moving keeps the secret");
            Map<String, Object> record = await(() -> deliveries(CONSUMER, id).stream().filter(x -> "delivered".equals(x.get("status")))
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
        assertEquals(id + ".2", verify(d, id + ".2", added.getString("webhookSecret")).keyId());

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
            Map<String, Object> d = deliveries(CONSUMER, id).get(0);
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
