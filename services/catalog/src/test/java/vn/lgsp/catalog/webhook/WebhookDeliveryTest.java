package vn.lgsp.catalog.webhook;

import static io.restassured.RestAssured.given;
import static vn.lgsp.catalog.webhook.WebhookFixtures.CONSUMER;
import static vn.lgsp.catalog.webhook.WebhookFixtures.subscribed;
import static vn.lgsp.catalog.webhook.WebhookFixtures.announceRetirement;
import static vn.lgsp.catalog.webhook.WebhookFixtures.await;
import static vn.lgsp.catalog.webhook.WebhookFixtures.deliveries;
import static vn.lgsp.catalog.webhook.WebhookFixtures.received;
import static vn.lgsp.catalog.webhook.WebhookFixtures.verify;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.lgsp.catalog.Fixtures;
import vn.lgsp.catalog.RegistryStub;
import vn.lgsp.catalog.RegistryStub.Delivery;
import vn.lgsp.common.audit.AuditPublisher;
import vn.lgsp.common.httpsig.HttpSignatures;
import vn.lgsp.common.httpsig.SignatureException;
import vn.lgsp.testing.PlatformTestResource;
import vn.lgsp.testing.StubUpstream;
import vn.lgsp.testing.TestJwt;

/** Webhooks: signed so the subscriber can verify them, recorded, retried with backoff, listable and redeliverable. */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
@QuarkusTestResource(RegistryStub.class)
class WebhookDeliveryTest {

    @Inject
    AuditPublisher auditPublisher;

    @Test
    void deliveriesAreSignedWithTheSubscribersSecretAndRecorded() throws Exception {
        String code = Fixtures.service("shared", false);
        String hookPath = "signed-" + code;
        JsonPath sub = subscribed(code, RegistryStub.hookUrl(hookPath));
        String id = sub.getString("id");
        String keyId = sub.getString("webhookKeyId");
        String secret = sub.getString("webhookSecret");
        assertEquals(id + ".1", keyId);
        assertTrue(secret.startsWith("whsec_") && secret.length() > 40, "a strong secret is shown once");
        // Shown once: reading the subscription again does not reveal it.
        given().auth().oauth2(CONSUMER).get("/api/v1/subscriptions/" + id).then().statusCode(200)
                .body("webhookSecret", equalTo(null));

        announceRetirement(code);
        Delivery d = received("/hooks/" + hookPath);
        assertEquals("POST", d.method());
        assertEquals("version.retirement-notice", d.header("x-lgsp-event"));
        assertTrue(new String(d.body(), java.nio.charset.StandardCharsets.UTF_8).contains("\"subscriptionId\":\"" + id + "\""));
        HttpSignatures.Verified verified = verify(d, keyId, secret);
        assertEquals(keyId, verified.keyId());
        assertTrue(verified.components().contains("content-digest"));
        // A forged body or a wrong secret does not verify.
        Delivery forged = new Delivery(d.method(), d.host(), d.path(), d.query(), d.headers(), "{\"event\":\"x\"}".getBytes());
        assertThrows(SignatureException.class, () -> verify(forged, keyId, secret));
        assertThrows(SignatureException.class, () -> verify(d, keyId, "whsec_wrong"));

        Map<String, Object> record = await(() -> deliveries(CONSUMER, id).stream()
                .filter(x -> "delivered".equals(x.get("status"))).findFirst().orElse(null), Duration.ofSeconds(5), "delivered");
        assertEquals(1, record.get("attempts"));
        assertEquals(204, record.get("lastStatus"));
        assertEquals("version.retirement-notice", record.get("event"));
        assertNotNull(record.get("deliveredAt"));
        // The provider's admin and another consumer agency see nothing of the consumer's deliveries.
        assertEquals(0, deliveries(TestJwt.agencyAdmin(RegistryStub.THIRD_AGENCY), id).size());
        assertEquals(1, deliveries(TestJwt.auditor(), id).size());
        assertEquals(1, deliveries(TestJwt.system(RegistryStub.CONSUMER_SYSTEM, RegistryStub.CONSUMER_AGENCY, "production"), id).size());

        // Rotating the secret: shown once, audited without the secret, and the next delivery is signed with it.
        given().auth().oauth2(TestJwt.agencyAdmin(RegistryStub.THIRD_AGENCY)).post("/api/v1/subscriptions/" + id + "/webhook-secret")
                .then().statusCode(404);
        given().auth().oauth2(TestJwt.auditor()).post("/api/v1/subscriptions/" + id + "/webhook-secret").then().statusCode(403);
        JsonPath rotated = given().auth().oauth2(CONSUMER).post("/api/v1/subscriptions/" + id + "/webhook-secret").then()
                .statusCode(200).header("Cache-Control", "no-store").body("keyId", equalTo(id + ".2"))
                .body("webhookSecret", startsWith("whsec_")).extract().jsonPath();
        String newSecret = rotated.getString("webhookSecret");
        assertTrue(!newSecret.equals(secret));
        assertTrue(auditPublisher.snapshot().stream().anyMatch(e -> "subscription.webhook-secret.rotate".equals(e.action())
                && id.equals(e.resourceId()) && !e.after().toString().contains("whsec_")), "rotation audited, secret not in it");

        int before = RegistryStub.DELIVERIES.size();
        long deliveryId = ((Number) record.get("id")).longValue();
        given().auth().oauth2(TestJwt.agencyAdmin(RegistryStub.THIRD_AGENCY)).post("/api/v1/webhook-deliveries/" + deliveryId + "/redeliver")
                .then().statusCode(404);
        given().auth().oauth2(CONSUMER).post("/api/v1/webhook-deliveries/" + deliveryId + "/redeliver").then().statusCode(202)
                .body("redeliveryOf", equalTo((int) deliveryId)).body("status", equalTo("pending"));
        Delivery again = await(() -> RegistryStub.DELIVERIES.size() > before ? RegistryStub.DELIVERIES.get(before) : null,
                Duration.ofSeconds(10), "the redelivery");
        assertEquals(id + ".2", verify(again, id + ".2", newSecret).keyId());
        assertThrows(SignatureException.class, () -> verify(again, keyId, secret));
    }

    @Test
    void aFailingReceiverIsRetriedWithBackoffThenMarkedFailedAndCanBeRedelivered() throws Exception {
        try (StubUpstream down = StubUpstream.start()) {
            String code = Fixtures.service("shared", false);
            String id = subscribed(code, down.baseUrl() + "/status/503").getString("id");
            long took = announceRetirement(code);
            assertTrue(took < 3000, "the lifecycle change does not wait for the receiver (" + took + " ms)");

            Map<String, Object> failed = await(() -> deliveries(CONSUMER, id).stream()
                    .filter(x -> "failed".equals(x.get("status"))).findFirst().orElse(null), Duration.ofSeconds(15), "failed");
            assertEquals(3, failed.get("attempts"), "bounded: the configured maximum of attempts");
            assertEquals(503, failed.get("lastStatus"));
            assertEquals(3, down.received().size());
            Duration spread = Duration.between(Instant.parse((String) failed.get("createdAt")),
                    Instant.parse((String) failed.get("lastAttemptAt")));
            assertTrue(spread.toMillis() >= 200 + 400, "backoff doubled between attempts: " + spread);

            long deliveryId = ((Number) failed.get("id")).longValue();
            given().auth().oauth2(TestJwt.auditor()).post("/api/v1/webhook-deliveries/" + deliveryId + "/redeliver").then()
                    .statusCode(403);
            given().auth().oauth2(TestJwt.auditor()).queryParam("status", "sideways").get("/api/v1/webhook-deliveries").then()
                    .statusCode(400).body("errors[0].field", equalTo("status"));
            given().auth().oauth2(TestJwt.operator()).post("/api/v1/webhook-deliveries/" + deliveryId + "/redeliver").then()
                    .statusCode(202);
            await(() -> down.received().size() >= 4 ? true : null, Duration.ofSeconds(10), "the redelivery attempt");
            assertTrue(auditPublisher.snapshot().stream().anyMatch(e -> "webhook-delivery.redeliver".equals(e.action())));
        }
    }

    @Test
    void aHangingReceiverDelaysNothingAndTimesOut() throws Exception {
        try (StubUpstream slow = StubUpstream.start()) {
            String code = Fixtures.service("shared", false);
            String id = subscribed(code, slow.baseUrl() + "/delay/60000").getString("id");
            assertTrue(announceRetirement(code) < 3000, "the change commits without waiting for the webhook");
            Map<String, Object> attempted = await(() -> deliveries(TestJwt.operator(), id).stream()
                    .filter(x -> ((Number) x.get("attempts")).intValue() >= 1).findFirst().orElse(null),
                    Duration.ofSeconds(10), "a timed-out attempt");
            assertNotNull(attempted.get("lastError"), "a timeout is recorded as the error");
            assertEquals(null, attempted.get("lastStatus"));
        }
    }
}
