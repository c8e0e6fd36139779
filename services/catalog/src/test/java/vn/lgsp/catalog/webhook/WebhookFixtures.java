package vn.lgsp.catalog.webhook;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import vn.lgsp.catalog.Fixtures;
import vn.lgsp.catalog.RegistryStub;
import vn.lgsp.catalog.RegistryStub.Delivery;
import vn.lgsp.common.httpsig.ContentDigest;
import vn.lgsp.common.httpsig.HttpSignatures;
import vn.lgsp.common.httpsig.SignedMessage;
import vn.lgsp.testing.TestJwt;

/** What the webhook tests share: an approved subscription, an event that notifies it, and a subscriber's checks. */
final class WebhookFixtures {

    static final String PROVIDER = TestJwt.agencyAdmin(RegistryStub.PROVIDER_AGENCY);
    static final String CONSUMER = TestJwt.agencyAdmin(RegistryStub.CONSUMER_AGENCY);

    private WebhookFixtures() {
    }

    /** A published service with one approved subscription whose webhook goes to {@code url}; returns the create answer. */
    static JsonPath subscribed(String code, String url) {
        Fixtures.published(code, "v1");
        JsonPath created = given().auth().oauth2(CONSUMER).contentType(ContentType.JSON)
                .body(Fixtures.subscriptionJson(code, "v1", RegistryStub.CONSUMER_SYSTEM, "production", url))
                .post("/api/v1/subscriptions").then().statusCode(201).extract().jsonPath();
        Fixtures.act(PROVIDER, created.getString("id"), "approve", "{}").statusCode(200);
        return created;
    }

    /** Announces v1's retirement (which notifies its subscribers); returns how long the call took, in ms. */
    static long announceRetirement(String code) {
        long started = System.nanoTime();
        given().auth().oauth2(PROVIDER).contentType(ContentType.JSON)
                .body("{\"retireAt\":\"" + Instant.now().plus(Duration.ofDays(61)) + "\",\"comment\":\"Ngừng v1\"}")
                .post("/api/v1/services/" + code + "/versions/v1/retirement-notice").then().statusCode(200);
        return (System.nanoTime() - started) / 1_000_000;
    }

    static <T> T await(Supplier<T> probe, Duration timeout, String what) throws InterruptedException {
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

    static List<Map<String, Object>> deliveries(String token, String subscriptionId) {
        return given().auth().oauth2(token).queryParam("subscriptionId", subscriptionId).get("/api/v1/webhook-deliveries")
                .then().statusCode(200).extract().jsonPath().getList("items");
    }

    /** The first webhook the stub received at {@code path}. */
    static Delivery received(String path) throws InterruptedException {
        return await(() -> RegistryStub.DELIVERIES.stream().filter(x -> x.path().equals(path)).findFirst().orElse(null),
                Duration.ofSeconds(10), "a webhook at " + path);
    }

    /** Verifies a received webhook exactly as a subscriber would, with the platform's RFC 9421 verifier. */
    static HttpSignatures.Verified verify(Delivery d, String keyId, String secret) {
        ContentDigest.verify(d.header("content-digest"), d.body());
        SignedMessage message = SignedMessage.of(d.method(), "http", d.host(), d.path(), d.query(), d.headers());
        Map<String, Boolean> nonces = new ConcurrentHashMap<>();
        return HttpSignatures.verify(message, true,
                id -> id.equals(keyId) ? List.of(HttpSignatures.keyBytes(secret)) : List.of(),
                (id, nonce, until) -> nonces.putIfAbsent(id + nonce, true) == null, Clock.systemUTC());
    }
}
