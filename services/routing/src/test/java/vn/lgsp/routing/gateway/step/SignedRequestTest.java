package vn.lgsp.routing.gateway.step;

import static io.restassured.RestAssured.given;
import static vn.lgsp.routing.support.Gateway.gateway;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import vn.lgsp.common.audit.AuditEvent;
import vn.lgsp.common.audit.AuditPublisher;
import vn.lgsp.common.httpsig.ContentDigest;
import vn.lgsp.routing.support.Recorded;
import vn.lgsp.routing.support.RoutingTestResource;
import vn.lgsp.routing.support.Signer;
import vn.lgsp.testing.TestJwt;

/** Identify with RFC 9421 hmac-sha256 signatures: access keys from auth's hmac-keys feed, the shared verifier. */
@QuarkusTest
@QuarkusTestResource(RoutingTestResource.class)
class SignedRequestTest {

    private static final byte[] BODY = "{\"hoTen\":\"Tran Thi B\",\"ngaySinh\":\"2001-02-03\"}".getBytes(StandardCharsets.UTF_8);

    @Inject
    AuditPublisher publisher;

    @Test
    void aSignedGetPassesThroughWithoutItsSignatureHeaders() {
        String url = "/ho-tich/v1/echo?so=123";
        String requestId = "signed-get-" + System.nanoTime();
        gateway().headers(Signer.sign("GET", url, null, RoutingTestResource.ACCESS_KEY)).header("X-Request-Id", requestId)
                .get(url).then().statusCode(200)
                .body("provider", equalTo("lgsp-stub-upstream"))
                .body("query", equalTo("so=123"))
                .body("headers.signature", nullValue())
                .body("headers.signature-input", nullValue())
                .body("headers.x-lgsp-gateway-assertion", not(nullValue()));
    }

    @Test
    void behindATrustedProxyTheSignatureCoversTheUrlTheCallerUsed() {
        // The caller signed https://gw.lgsp.example/...; the Ingress (a trusted proxy) says so in X-Forwarded-*.
        String url = "/ho-tich/v1/echo?via=ingress";
        gateway().headers(Signer.sign("GET", "https", "gw.lgsp.example", url, null, RoutingTestResource.ACCESS_KEY,
                        RoutingTestResource.SECRET_KEY, System.currentTimeMillis() / 1000, java.util.UUID.randomUUID().toString()))
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "gw.lgsp.example")
                .get(url).then().statusCode(200);
        // Without the proxy's word the gateway sees http://localhost:<port>/...: another URL, so another signature base.
        gateway().headers(Signer.sign("GET", "https", "gw.lgsp.example", url, null, RoutingTestResource.ACCESS_KEY,
                        RoutingTestResource.SECRET_KEY, System.currentTimeMillis() / 1000, java.util.UUID.randomUUID().toString()))
                .get(url).then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void aSignedGetFromJavasDefaultHttp2ClientPasses() throws Exception {
        // java.net.http.HttpClient upgrades cleartext connections to HTTP/2 (h2c) unless told otherwise
        String url = "/ho-tich/v1/echo?h2=1";
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(
                java.net.URI.create("http://localhost:" + vn.lgsp.routing.support.Gateway.port() + url)).GET();
        Signer.sign("GET", url, null, RoutingTestResource.ACCESS_KEY).forEach(b::header);
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(b.build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void overHttp2APostWithoutABodyNeedsNoDigestAndOneWithABodyDoes() throws Exception {
        // HTTP/2 gives no Content-Length for a streamed body, and the request is seen before its end: the gateway
        // settles it by reading the body (it reads a signed body whole anyway).
        java.net.http.HttpClient h2 = java.net.http.HttpClient.newHttpClient();
        String url = "/ho-tich/v1/khai-sinh";
        java.net.URI uri = java.net.URI.create("http://localhost:" + vn.lgsp.routing.support.Gateway.port() + url);
        java.net.http.HttpRequest.Builder warm = java.net.http.HttpRequest.newBuilder(uri).GET();
        Signer.sign("GET", url, null, RoutingTestResource.ACCESS_KEY).forEach(warm::header);
        assertEquals(200, h2.send(warm.build(), java.net.http.HttpResponse.BodyHandlers.ofString()).statusCode());

        java.net.http.HttpRequest.Builder empty = java.net.http.HttpRequest.newBuilder(uri)
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody());
        Signer.sign("POST", url, null, RoutingTestResource.ACCESS_KEY).forEach(empty::header);
        java.net.http.HttpResponse<String> r = h2.send(empty.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(java.net.http.HttpClient.Version.HTTP_2, r.version());
        assertEquals(200, r.statusCode(), r.body());

        java.net.http.HttpRequest.Builder unvouched = java.net.http.HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(BODY)));
        Signer.sign("POST", url, null, RoutingTestResource.ACCESS_KEY).forEach(unvouched::header);
        r = h2.send(unvouched.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(401, r.statusCode(), r.body());
        assertTrue(r.body().contains("a request with a body must cover content-digest"), r.body());
    }

    @Test
    void aSignedPostWithItsDigestPassesAndTheProviderGetsThatBody() throws Exception {
        String url = "/ho-tich/v1/khai-sinh";
        String requestId = "signed-post-" + System.nanoTime();
        gateway().headers(Signer.sign("POST", url, BODY, RoutingTestResource.ACCESS_KEY)).header("X-Request-Id", requestId)
                .contentType("application/json").body(BODY).post(url).then().statusCode(200)
                .body("bodyBytes", equalTo(BODY.length))
                .body("bodySha256", equalTo(sha256(BODY)));
        Map<String, String> received = RoutingTestResource.upstream().received().stream()
                .filter(h -> requestId.equals(h.get("x-request-id"))).findFirst().orElseThrow();
        assertEquals(ContentDigest.sha256Header(BODY), received.get("content-digest"),
                "Content-Digest describes the body the provider receives, so it is kept");
        assertFalse(received.containsKey("signature") || received.containsKey("signature-input"));

        AuditEvent e = recorded(requestId);
        assertEquals(RoutingTestResource.ACCESS_KEY, e.clientId());
        assertEquals(RoutingTestResource.CONSUMER, e.consumerSystem());
        assertEquals(RoutingTestResource.CONSUMER_AGENCY, e.consumerAgency());
        assertEquals("production", e.environment());
        assertEquals(BODY.length, e.requestBytes());
        assertEquals(sha256(BODY), e.requestSha256());
        assertNull(e.errorType());
    }

    @Test
    void aChunkedSignedBodyIsCheckedAndSentWhole() throws Exception {
        String url = "/ho-tich/v1/chunked";
        String requestId = "signed-chunked-" + System.nanoTime();
        // An InputStream body goes out chunked, without Content-Length.
        gateway().headers(Signer.sign("POST", url, BODY, RoutingTestResource.ACCESS_KEY)).header("X-Request-Id", requestId)
                .contentType("application/json").body(new java.io.ByteArrayInputStream(BODY)).post(url).then()
                .statusCode(200).body("bodySha256", equalTo(sha256(BODY)));
        Map<String, String> received = RoutingTestResource.upstream().received().stream()
                .filter(h -> requestId.equals(h.get("x-request-id"))).findFirst().orElseThrow();
        assertEquals(Integer.toString(BODY.length), received.get("content-length"), "the checked body is sent whole");
    }

    @Test
    void aTamperedPathIsRefused() {
        Map<String, String> signed = Signer.sign("GET", "/ho-tich/v1/a", null, RoutingTestResource.ACCESS_KEY);
        gateway().headers(signed).get("/ho-tich/v1/b").then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Signature"))
                .body("type", equalTo("urn:lgsp:problem:unauthenticated"))
                .body("detail", containsString("does not match the request"))
                .body("detail", not(containsString(RoutingTestResource.SECRET_KEY)));
    }

    @Test
    void aStaleSignatureIsRefused() {
        String url = "/ho-tich/v1/x";
        gateway().headers(Signer.sign("GET", url, null, RoutingTestResource.ACCESS_KEY, RoutingTestResource.SECRET_KEY,
                System.currentTimeMillis() / 1000 - 400, UUID.randomUUID().toString()))
                .get(url).then().statusCode(401).body("detail", containsString("stale"));
    }

    @Test
    void aReplayedNonceIsRefused() {
        String url = "/ho-tich/v1/x";
        Map<String, String> signed = Signer.sign("GET", url, null, RoutingTestResource.ACCESS_KEY);
        gateway().headers(signed).get(url).then().statusCode(200);
        gateway().headers(signed).get(url).then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Signature"))
                .body("detail", containsString("nonce was already used"));
    }

    @Test
    void aBodyThatDoesNotMatchItsDigestIsRefusedAndNeverReachesTheProvider() {
        String url = "/ho-tich/v1/khai-sinh";
        String requestId = "signed-tampered-" + System.nanoTime();
        byte[] other = "{\"hoTen\":\"Someone Else\"}".getBytes(StandardCharsets.UTF_8);
        gateway().headers(Signer.sign("POST", url, BODY, RoutingTestResource.ACCESS_KEY)).header("X-Request-Id", requestId)
                .contentType("application/json").body(other).post(url).then().statusCode(401)
                .body("detail", containsString("Content-Digest"));
        assertFalse(RoutingTestResource.upstream().received().stream()
                .anyMatch(h -> requestId.equals(h.get("x-request-id"))));
    }

    @Test
    void aBodyWithoutACoveredDigestIsRefused() {
        String url = "/ho-tich/v1/khai-sinh";
        // Signed as if bodiless: the signature does not cover content-digest, but a body is sent.
        gateway().headers(Signer.sign("POST", url, null, RoutingTestResource.ACCESS_KEY)).contentType("application/json")
                .body(BODY).post(url).then().statusCode(401).body("detail", containsString("content-digest"));
    }

    @Test
    void aSignedBodyOverTheVersionsLimitIs413() {
        byte[] big = new byte[2000]; // ho-tich v1 allows 1024 bytes
        String url = "/ho-tich/v1/khai-sinh";
        gateway().headers(Signer.sign("POST", url, big, RoutingTestResource.ACCESS_KEY)).contentType("application/octet-stream")
                .body(big).post(url).then().statusCode(413)
                .body("type", equalTo("urn:lgsp:problem:payload-too-large"));
        // Chunked, so the limit is only found while reading.
        gateway().headers(Signer.sign("POST", url, big, RoutingTestResource.ACCESS_KEY)).contentType("application/octet-stream")
                .body(new java.io.ByteArrayInputStream(big)).post(url).then().statusCode(413)
                .body("type", equalTo("urn:lgsp:problem:payload-too-large"));
    }

    @Test
    void unknownExpiredAndWronglyKeyedSignaturesAreRefused() {
        String url = "/ho-tich/v1/x";
        gateway().headers(Signer.sign("GET", url, null, "ak-nobody")).get(url).then().statusCode(401)
                .body("detail", containsString("access key is unknown"));
        gateway().headers(Signer.sign("GET", url, null, RoutingTestResource.EXPIRED_ACCESS_KEY)).get(url).then()
                .statusCode(401).body("detail", containsString("access key is unknown"));
        gateway().headers(Signer.sign("GET", url, null, RoutingTestResource.ACCESS_KEY, "not-the-secret",
                System.currentTimeMillis() / 1000, UUID.randomUUID().toString()))
                .get(url).then().statusCode(401).body("detail", containsString("does not match"));
        gateway().header("Signature-Input", "sig1=(\"@method\"").header("Signature", "sig1=:AAAA:").get(url).then()
                .statusCode(401).body("detail", containsString("malformed"));
    }

    @Test
    void duringARotationOverlapBothSecretsAreAcceptedAndAfterItOnlyTheNewOne() {
        String url = "/ho-tich/v1/rotation";
        for (String secret : new String[] {RoutingTestResource.ROTATED_SECRET_KEY, RoutingTestResource.SECRET_KEY}) {
            gateway().headers(signWith(url, RoutingTestResource.ROTATED_ACCESS_KEY, secret)).get(url).then()
                    .statusCode(200).body("provider", equalTo("lgsp-stub-upstream"));
        }
        gateway().headers(signWith(url, RoutingTestResource.OVERLAP_ENDED_ACCESS_KEY, RoutingTestResource.ROTATED_SECRET_KEY))
                .get(url).then().statusCode(200);
        gateway().headers(signWith(url, RoutingTestResource.OVERLAP_ENDED_ACCESS_KEY, RoutingTestResource.SECRET_KEY))
                .get(url).then().statusCode(401).body("detail", containsString("does not match"));
    }

    private static Map<String, String> signWith(String url, String accessKey, String secret) {
        return Signer.sign("GET", url, null, accessKey, secret, System.currentTimeMillis() / 1000,
                UUID.randomUUID().toString());
    }

    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    @Test
    void aNonceAnotherReplicaHasSeenIsRefusedHereToo() {
        String url = "/ho-tich/v1/x";
        String nonce = "seen-elsewhere-" + UUID.randomUUID();
        pool.preparedQuery("INSERT INTO used_nonce (key_id, nonce, forget_after) VALUES ($1, $2, now() + interval '10 minutes')")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(RoutingTestResource.ACCESS_KEY, nonce)).await().indefinitely();
        gateway().headers(Signer.sign("GET", url, null, RoutingTestResource.ACCESS_KEY, RoutingTestResource.SECRET_KEY,
                System.currentTimeMillis() / 1000, nonce)).get(url).then().statusCode(401)
                .body("detail", containsString("another gateway replica"));

        String fresh = "fresh-" + UUID.randomUUID();
        gateway().headers(Signer.sign("GET", url, null, RoutingTestResource.ACCESS_KEY, RoutingTestResource.SECRET_KEY,
                System.currentTimeMillis() / 1000, fresh)).get(url).then().statusCode(200);
        long stored = pool.preparedQuery("SELECT count(*) AS n FROM used_nonce WHERE key_id = $1 AND nonce = $2")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(RoutingTestResource.ACCESS_KEY, fresh)).await().indefinitely()
                .iterator().next().getLong("n");
        assertEquals(1, stored, "an accepted nonce is shared with the other replicas");
    }

    @Test
    void aSignedCallerWithoutSubscriptionIs403() {
        String url = "/ho-tich/v1/x";
        gateway().headers(Signer.sign("GET", url, null, RoutingTestResource.UNSUBSCRIBED_ACCESS_KEY)).get(url).then()
                .statusCode(403).body("type", equalTo("urn:lgsp:problem:not-subscribed"))
                .body("detail", containsString(RoutingTestResource.UNSUBSCRIBED_SYSTEM));
    }

    @Test
    void aRevokedAccessKeyIsRefusedWithinTwoSeconds() throws Exception {
        String url = "/ho-tich/v1/x";
        gateway().headers(Signer.sign("GET", url, null, RoutingTestResource.ACCESS_KEY_TO_REVOKE)).get(url).then()
                .statusCode(200);
        long revokedAt = System.currentTimeMillis();
        RoutingTestResource.platform().revokeClient(RoutingTestResource.ACCESS_KEY_TO_REVOKE);
        int status = 200;
        while (status == 200 && System.currentTimeMillis() - revokedAt < 2000) {
            Thread.sleep(50);
            status = gateway().headers(Signer.sign("GET", url, null, RoutingTestResource.ACCESS_KEY_TO_REVOKE)).get(url)
                    .statusCode();
        }
        assertEquals(401, status);
        gateway().headers(Signer.sign("GET", url, null, RoutingTestResource.ACCESS_KEY_TO_REVOKE)).get(url).then()
                .statusCode(401).header("WWW-Authenticate", startsWith("Signature"))
                .body("detail", containsString("revoked"));
    }

    @Test
    void aBearerTokenStillWinsAndAMissingCredentialNamesBothSchemes() {
        gateway().get("/ho-tich/v1/x").then().statusCode(401)
                .header("WWW-Authenticate", containsString("Signature"));
    }

    @Test
    void theKeyFeedIsReportedButItsSecretsAreNot() {
        String status = given().header("Authorization", "Bearer " + TestJwt.operator()).get("/api/v1/routing/status")
                .then().statusCode(200)
                .body("snapshot.hmacKeyRevision", greaterThanOrEqualTo((int) RoutingTestResource.platform().hmacKeyRevision()))
                // eight keys in the feed (see RoutingTestResource); the expired one is dropped when it is loaded
                .body("snapshot.hmacKeys", equalTo(7))
                .extract().asString();
        assertFalse(status.contains(RoutingTestResource.SECRET_KEY));
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'routing snapshot' }.data.hmacKeyRevision", greaterThanOrEqualTo(1));
    }

    private AuditEvent recorded(String requestId) throws InterruptedException {
        return Recorded.byRequestId(publisher, requestId);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
