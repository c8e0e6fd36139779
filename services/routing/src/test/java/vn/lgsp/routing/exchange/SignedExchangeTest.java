package vn.lgsp.routing.exchange;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import vn.lgsp.common.audit.AuditEvent;
import vn.lgsp.common.audit.AuditPublisher;
import vn.lgsp.common.httpsig.ContentDigest;
import vn.lgsp.common.httpsig.HttpSignatures;
import vn.lgsp.common.httpsig.SignedMessage;
import vn.lgsp.routing.exchange.service.ExchangeNotices;
import vn.lgsp.routing.support.RoutingTestResource;
import vn.lgsp.routing.support.Signer;
import vn.lgsp.testing.TestJwt;

/**
 * The asynchronous exchange with key pairs instead of tokens (Vĩnh Long Art. 11–12): the source and the recipient
 * sign each request with their access key and secret key (RFC 9421 hmac-sha256, the keys of auth's hmac-keys feed),
 * over real HTTP; every way a signature can be wrong is a 401 problem naming it.
 */
@QuarkusTest
@QuarkusTestResource(RoutingTestResource.class)
class SignedExchangeTest {

    private static final String SOURCE_KEY = RoutingTestResource.ACCESS_KEY;
    private static final String SOURCE_SECRET = RoutingTestResource.SECRET_KEY;
    private static final String RECIPIENT_KEY = RoutingTestResource.PROVIDER_ACCESS_KEY;
    private static final String RECIPIENT_SECRET = RoutingTestResource.PROVIDER_SECRET_KEY;
    private static final String EXCHANGES = "/api/v1/exchanges";

    @TestHTTPResource("/")
    URL base;

    @Inject
    AuditPublisher publisher;

    @Inject
    ExchangeNotices notices;

    @Test
    void theWholeExchangeWithKeyPairs() throws Exception {
        waitUntilListening();
        try (SseClient inbox = new SseClient(URI.create(base + "api/v1/exchanges/events"),
                signed("GET", EXCHANGES + "/events", null, RECIPIENT_KEY, RECIPIENT_SECRET), null)) {
            assertEquals(200, inbox.status(), "the recipient's signed request opens its event stream");

            byte[] request = envelope("Danh sách ký bằng khoá").getBytes(StandardCharsets.UTF_8);
            Response created = send("POST", EXCHANGES, request, SOURCE_KEY, SOURCE_SECRET);
            created.then().statusCode(201).body("sourceSystem", equalTo(RoutingTestResource.CONSUMER))
                    .body("sourceAgency", equalTo(RoutingTestResource.CONSUMER_AGENCY))
                    .body("recipientSystem", equalTo(RoutingTestResource.PROVIDER))
                    .body("state", equalTo("awaiting-upload"));
            String id = created.path("id");

            byte[] content = "{\"hoSo\":[{\"soDinhDanh\":\"001099012345\"}]}".getBytes(StandardCharsets.UTF_8);
            send("PUT", EXCHANGES + "/" + id + "/content", content, SOURCE_KEY, SOURCE_SECRET).then().statusCode(200)
                    .body("state", equalTo("ready")).body("contentSha256", equalTo(sha256(content)));
            SseClient.Event ready = inbox.next("exchange.ready", Duration.ofSeconds(5));
            assertNotNull(ready, "the signed stream is told, as a token's is");
            assertEquals(id, new JsonObject(ready.data()).getString("id"));

            send("GET", EXCHANGES + "?state=ready", null, RECIPIENT_KEY, RECIPIENT_SECRET).then().statusCode(200)
                    .body("items.id", hasItem(id));
            send("POST", EXCHANGES + "/" + id + "/accept", null, RECIPIENT_KEY, RECIPIENT_SECRET).then().statusCode(200)
                    .body("state", equalTo("accepted"));
            byte[] pulled = send("GET", EXCHANGES + "/" + id + "/content", null, RECIPIENT_KEY, RECIPIENT_SECRET).then()
                    .statusCode(200).extract().asByteArray();
            assertEquals(new String(content, StandardCharsets.UTF_8), new String(pulled, StandardCharsets.UTF_8));
            byte[] confirmation = ("{\"sha256\":\"" + sha256(pulled) + "\"}").getBytes(StandardCharsets.UTF_8);
            send("POST", EXCHANGES + "/" + id + "/confirm", confirmation, RECIPIENT_KEY, RECIPIENT_SECRET).then()
                    .statusCode(200).body("state", equalTo("delivered"));

            // the records name the access key each party used, as the data plane's do
            List<AuditEvent> records = records(id, 5);
            assertTrue(records.stream().anyMatch(e -> "PUT".equals(e.method()) && SOURCE_KEY.equals(e.clientId())),
                    "the upload is recorded with the source's access key");
            assertTrue(records.stream().anyMatch(e -> "GET".equals(e.method()) && RECIPIENT_KEY.equals(e.clientId())),
                    "the pull is recorded with the recipient's access key");
        }
    }

    @Test
    void aSignedBodyMustBeTheOneItsDigestNames() {
        String title = "Tráo nội dung " + UUID.randomUUID();
        byte[] signedBody = envelope(title).getBytes(StandardCharsets.UTF_8);
        byte[] otherBody = envelope(title + " (đã sửa)").getBytes(StandardCharsets.UTF_8);
        // signed over one body (its Content-Digest), another sent
        given().headers(signed("POST", EXCHANGES, signedBody, SOURCE_KEY, SOURCE_SECRET)).contentType("application/json")
                .body(otherBody).post(EXCHANGES).then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Signature"))
                .body("detail", containsString("does not match its Content-Digest"));
        // a body whose digest the signature does not cover
        Map<String, String> headersOnly = sign("POST", EXCHANGES, null, SOURCE_KEY, SOURCE_SECRET, now(), nonce());
        given().headers(headersOnly).header("Content-Digest", ContentDigest.sha256Header(signedBody))
                .contentType("application/json").body(signedBody).post(EXCHANGES).then().statusCode(401)
                .body("detail", containsString("does not cover what it must"));
        // the same upload, its digest checked: an envelope is opened only once the body is vouched for
        send("GET", EXCHANGES + "?box=outbox", null, SOURCE_KEY, SOURCE_SECRET).then().statusCode(200)
                .body("items.title", not(hasItem(containsString(title))));
    }

    @Test
    void overHttp2ABodyIsJudgedWhenItIsRead() throws Exception {
        // Java's default client speaks HTTP/2 (h2c after its first request): no Content-Length on a streamed body
        java.net.http.HttpClient h2 = java.net.http.HttpClient.newHttpClient();
        assertEquals(200, h2Send(h2, "GET", EXCHANGES + "?box=outbox", null, null).statusCode());
        // a POST without a body needs no digest (opening a real envelope, then accepting it as a stranger would 404)
        java.net.http.HttpResponse<String> empty = h2Send(h2, "POST", EXCHANGES + "/" + UUID.randomUUID() + "/accept",
                null, null);
        assertEquals(404, empty.statusCode(), empty.body());
        // a body the signature does not vouch for, sent without a length: refused once read
        byte[] body = envelope("Không có digest " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        java.net.http.HttpResponse<String> unvouched = h2Send(h2, "POST", EXCHANGES, body, false);
        assertEquals(401, unvouched.statusCode(), unvouched.body());
        assertTrue(unvouched.body().contains("a request with a body must cover content-digest"), unvouched.body());
        assertEquals(java.net.http.HttpClient.Version.HTTP_2, unvouched.version(), "the case is HTTP/2's");
        // the same, its digest covered: opened
        java.net.http.HttpResponse<String> vouched = h2Send(h2, "POST", EXCHANGES, body, true);
        assertEquals(201, vouched.statusCode(), vouched.body());
    }

    /** A signed request through Java's HTTP client; a body goes as a stream (no length), covered by its digest or not. */
    private java.net.http.HttpResponse<String> h2Send(java.net.http.HttpClient client, String method, String path,
            byte[] body, Boolean coverDigest) throws Exception {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(URI.create(
                "http://" + base.getHost() + ":" + base.getPort() + path));
        Map<String, String> headers = body != null && coverDigest
                ? signed(method, path, body, SOURCE_KEY, SOURCE_SECRET)
                : sign(method, path, null, SOURCE_KEY, SOURCE_SECRET, now(), nonce());
        headers.forEach(b::header);
        if (body != null) {
            b.header("Content-Type", "application/json");
            b.method(method, java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                    () -> new java.io.ByteArrayInputStream(body)));
        } else {
            b.method(method, java.net.http.HttpRequest.BodyPublishers.noBody());
        }
        return client.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anUploadWithAnotherBodyThanItsSignatureVouchesForIsRefused() {
        String id = send("POST", EXCHANGES, envelope("Tải lên tráo " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8),
                SOURCE_KEY, SOURCE_SECRET).then().statusCode(201).extract().path("id");
        String path = EXCHANGES + "/" + id + "/content";
        byte[] signedContent = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        byte[] otherContent = "{\"a\":2}".getBytes(StandardCharsets.UTF_8);
        // the swapped body comes with its own (correct) Content-Digest header, but the signature covers the first one's
        Map<String, String> headers = new HashMap<>(signed("PUT", path, signedContent, SOURCE_KEY, SOURCE_SECRET));
        given().headers(headers).contentType("application/json").body(otherContent).put(path).then().statusCode(401)
                .body("detail", containsString("does not match its Content-Digest"));
        send("GET", EXCHANGES + "/" + id, null, SOURCE_KEY, SOURCE_SECRET).then().statusCode(200)
                .body("state", equalTo("awaiting-upload"));
        send("PUT", path, signedContent, SOURCE_KEY, SOURCE_SECRET).then().statusCode(200).body("state", equalTo("ready"));
    }

    @Test
    void aPathThatLeavesTheExchangeApiIsNotSignedFor() throws Exception {
        // /api/v1/exchanges/%2E%2E/routing/status is the operators' status once normalised: a signature is no credential there
        String raw = EXCHANGES + "/%2E%2E/routing/status";
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(URI.create(
                "http://" + base.getHost() + ":" + base.getPort() + raw)).GET()
                .version(java.net.http.HttpClient.Version.HTTP_1_1);
        signed("GET", raw, null, SOURCE_KEY, SOURCE_SECRET).forEach(b::header);
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(b.build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(401, r.statusCode(), "unauthenticated, not a system refused a role: " + r.body());
    }

    @Test
    void everyWrongSignatureIsA401ThatSaysWhy() {
        String path = EXCHANGES + "?box=outbox";
        Map<String, String> once = signed("GET", path, null, SOURCE_KEY, SOURCE_SECRET);
        given().headers(once).get(path).then().statusCode(200);
        refused(given().headers(once), path, "nonce was already used");
        refused(given().headers(sign("GET", path, null, "ak-unknown", SOURCE_SECRET, now(), nonce())), path,
                "access key is unknown");
        refused(given().headers(sign("GET", path, null, RoutingTestResource.EXPIRED_ACCESS_KEY, SOURCE_SECRET, now(),
                nonce())), path, "access key is unknown");
        refused(given().headers(sign("GET", path, null, SOURCE_KEY, SOURCE_SECRET, now() - 3600, nonce())), path,
                "stale");
        refused(given().headers(sign("GET", path, null, SOURCE_KEY, "a-wrong-secret-0123456789", now(), nonce())), path,
                "does not match the request");
        // signed for the outbox, sent for the inbox
        refused(given().headers(signed("GET", EXCHANGES + "?box=outbox", null, SOURCE_KEY, SOURCE_SECRET)),
                EXCHANGES + "?box=inbox", "does not match the request");
        // neither credential: the bearer challenge, as before
        given().get(path).then().statusCode(401).header("WWW-Authenticate", containsString("Bearer"));
    }

    @Test
    void refusedCredentialsAreAuditRecordsNamingTheClaimedIdentity() throws Exception {
        String path = EXCHANGES + "?box=outbox";
        String wrongSecret = "req-secret-" + UUID.randomUUID();
        given().headers(sign("GET", path, null, SOURCE_KEY, "a-wrong-secret-0123456789", now(), nonce()))
                .header("X-Request-Id", wrongSecret).get(path).then().statusCode(401);
        AuditEvent refused = single(wrongSecret);
        assertEquals("routing", refused.source());
        assertEquals(SOURCE_KEY, refused.clientId(), "the access key the signature named");
        assertEquals("signature-refused", refused.errorType());
        assertEquals("GET", refused.method());
        assertEquals(EXCHANGES, refused.path(), "the path, never the query");
        assertEquals(401, refused.status());
        assertTrue(refused.detail().contains("does not match the request"), refused.detail());
        assertFalse(refused.detail().contains("a-wrong-secret"), "never a secret");

        // a body its signed digest does not vouch for is refused after authentication: recorded too
        String swapped = "req-swapped-" + UUID.randomUUID();
        byte[] signedBody = envelope("Ký một nội dung").getBytes(StandardCharsets.UTF_8);
        given().headers(signed("POST", EXCHANGES, signedBody, SOURCE_KEY, SOURCE_SECRET)).header("X-Request-Id", swapped)
                .contentType("application/json").body(envelope("Gửi nội dung khác")).post(EXCHANGES).then()
                .statusCode(401);
        AuditEvent body = single(swapped);
        assertEquals(SOURCE_KEY, body.clientId());
        assertTrue(body.detail().contains("does not match its Content-Digest"), body.detail());

        // a bearer token signed by a stranger: the identity it claimed, marked as claimed
        String forged = "req-forged-" + UUID.randomUUID();
        String claimed = "ck-forged-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(TestJwt.signedByStranger(claimed, java.util.Set.of("system")))
                .header("X-Request-Id", forged).get(path).then().statusCode(401);
        AuditEvent token = single(forged);
        assertEquals(claimed, token.clientId());
        assertEquals("invalid-token", token.errorType());
        assertTrue(token.detail().contains("as claimed, not verified"), token.detail());

        // neither a request without credentials (a challenge) nor a good signature is a failure
        String anonymous = "req-anonymous-" + UUID.randomUUID();
        given().header("X-Request-Id", anonymous).get(path).then().statusCode(401);
        String good = "req-good-" + UUID.randomUUID();
        given().headers(signed("GET", path, null, SOURCE_KEY, SOURCE_SECRET)).header("X-Request-Id", good).get(path)
                .then().statusCode(200);
        assertEquals(List.of(), vn.lgsp.routing.support.Recorded.authFailures(publisher, anonymous, 0));
        assertEquals(List.of(), vn.lgsp.routing.support.Recorded.authFailures(publisher, good, 0));
    }

    private AuditEvent single(String requestId) throws InterruptedException {
        List<AuditEvent> found = vn.lgsp.routing.support.Recorded.authFailures(publisher, requestId, 1);
        assertEquals(1, found.size(), "one auth_failure record for " + requestId + ": " + found);
        return found.get(0);
    }

    @Test
    void onlyTheExchangeApiTakesSignaturesAndABearerTokenWins() {
        // an operator's API on the same port: a valid system signature is no credential there
        String status = "/api/v1/routing/status";
        given().headers(signed("GET", status, null, SOURCE_KEY, SOURCE_SECRET)).get(status).then().statusCode(401);
        // a bearer token beside a signature that would fail: the token is used, as on the data plane
        String token = TestJwt.system(RoutingTestResource.CONSUMER, RoutingTestResource.CONSUMER_AGENCY, "production");
        given().auth().oauth2(token).header("Signature-Input", "sig1=(\"@method\");keyid=\"ak-unknown\"")
                .header("Signature", "sig1=:AAAA:").queryParam("box", "outbox").get(EXCHANGES).then().statusCode(200);
    }

    @Test
    void theOpenApiDocumentOffersBothCredentials() {
        given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("components.securitySchemes.httpSignature.type", equalTo("apiKey"))
                .body("components.securitySchemes.httpSignature.name", equalTo("Signature"))
                .body("components.securitySchemes.bearer.scheme", equalTo("bearer"))
                .body("paths.'/api/v1/exchanges'.post.security", hasItem(hasKey("httpSignature")))
                .body("paths.'/api/v1/exchanges'.post.security", hasItem(hasKey("bearer")));
    }

    @Test
    void aRevokedAccessKeyEndsItsStreamAndIsRefused() throws Exception {
        waitUntilListening();
        String key = RoutingTestResource.EXCHANGE_ACCESS_KEY_TO_REVOKE;
        try (SseClient stream = new SseClient(URI.create(base + "api/v1/exchanges/events"),
                signed("GET", EXCHANGES + "/events", null, key, SOURCE_SECRET), null)) {
            assertEquals(200, stream.status());
            assertFalse(stream.endsWithin(Duration.ofMillis(1500)), "a valid key's stream stays open");
            RoutingTestResource.platform().revokeClient(key);
            assertTrue(stream.endsWithin(Duration.ofSeconds(5)), "the stream ends once the key is revoked");
        }
        refused(given().headers(signed("GET", EXCHANGES, null, key, SOURCE_SECRET)), EXCHANGES, "has been revoked");
        // the system's other key is not affected
        send("GET", EXCHANGES, null, SOURCE_KEY, SOURCE_SECRET).then().statusCode(200);
    }

    private static void refused(RequestSpecification request, String path, String why) {
        request.get(path).then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Signature")).body("detail", containsString(why));
    }

    private Response send(String method, String pathAndQuery, byte[] body, String key, String secret) {
        RequestSpecification r = given().headers(signed(method, pathAndQuery, body, key, secret));
        if (body != null) {
            r = r.contentType("application/json").body(body);
        }
        return r.request(method, pathAndQuery);
    }

    private Map<String, String> signed(String method, String pathAndQuery, byte[] body, String key, String secret) {
        return sign(method, pathAndQuery, body, key, secret, now(), nonce());
    }

    /** Headers only over the body given (null: no content-digest covered), for this port's URL. */
    private Map<String, String> sign(String method, String pathAndQuery, byte[] body, String key, String secret,
            long created, String nonce) {
        if (body != null) {
            return Signer.sign(method, "http", base.getHost() + ":" + base.getPort(), pathAndQuery, body, key, secret,
                    created, nonce);
        }
        int q = pathAndQuery.indexOf('?');
        SignedMessage m = SignedMessage.of(method, "http", base.getHost() + ":" + base.getPort(),
                q < 0 ? pathAndQuery : pathAndQuery.substring(0, q), q < 0 ? null : pathAndQuery.substring(q + 1),
                new HashMap<>());
        return HttpSignatures.sign(m, "sig1", HttpSignatures.defaultComponents(false), key,
                HttpSignatures.keyBytes(secret), created, nonce);
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private static String nonce() {
        return UUID.randomUUID().toString();
    }

    private static String envelope(String title) {
        return new JsonObject().put("serviceCode", "ho-tich").put("version", "v1").put("title", title)
                .put("importance", "normal").put("dataType", "json").encode();
    }

    private void waitUntilListening() throws InterruptedException {
        ExchangeProbes.waitUntilListening(notices);
    }

    private List<AuditEvent> records(String id, int atLeast) throws InterruptedException {
        return ExchangeProbes.records(publisher, id, atLeast);
    }

    private static String sha256(byte[] body) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    }
}
