package vn.lgsp.auth.signature;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;
import static vn.lgsp.auth.AuthFixtures.AGENCY;
import static vn.lgsp.auth.AuthFixtures.createCredential;
import static vn.lgsp.auth.AuthFixtures.newSystem;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import vn.lgsp.auth.AuthTestResource;
import vn.lgsp.common.audit.AuditEvent;
import vn.lgsp.common.httpsig.ContentDigest;
import vn.lgsp.common.httpsig.HttpSignatures;
import vn.lgsp.common.httpsig.SignedMessage;
import vn.lgsp.testing.TestJwt;

@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class SignatureVerificationTest {

    static final String TARGET = "https://provider.example.gov.vn/api/ho-tich/v1/records?id=42&x=a%20b";
    static final String ROUTING = TestJwt.service("routing");

    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    @Inject
    vn.lgsp.common.audit.AuditPublisher audit;

    @Inject
    vn.lgsp.auth.signature.repository.NonceRepository nonces;

    /** A request as the client sends it: headers to put on the wire, signed with the shared library. */
    static Map<String, List<String>> signed(String method, String target, byte[] body, String accessKey, String secret,
            long created, String nonce) {
        java.net.URI uri = java.net.URI.create(target);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Host", List.of(uri.getRawAuthority()));
        if (body != null) {
            headers.put("Content-Type", List.of("application/json"));
            headers.put("Content-Digest", List.of(ContentDigest.sha256Header(body)));
        }
        SignedMessage m = SignedMessage.of(method, uri.getScheme(), uri.getRawAuthority(), uri.getRawPath(), uri.getRawQuery(), headers);
        HttpSignatures.sign(m, "sig1", HttpSignatures.defaultComponents(body != null), accessKey,
                HttpSignatures.keyBytes(secret), created, nonce).forEach((k, v) -> headers.put(k, List.of(v)));
        return headers;
    }

    static String sha256(byte[] body) throws Exception {
        return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
    }

    static ValidatableResponse verify(String token, String method, String target, Map<String, List<String>> headers, String bodySha256) {
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("method", method);
        req.put("targetUri", target);
        req.put("headers", headers);
        if (bodySha256 != null) {
            req.put("bodySha256", bodySha256);
        }
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(req).post("/api/v1/signatures/verify").then();
    }

    static long now() {
        return Instant.now().getEpochSecond();
    }

    static String nonce() {
        return UUID.randomUUID().toString();
    }

    @Test
    void aSignedGetIsValidOnceAndThenAReplay() {
        String system = newSystem("HTTT-SIGN");
        JsonPath cred = createCredential(system, "production", "hmac");
        String ak = cred.getString("accessKey");
        String sk = cred.getString("secretKey");
        Map<String, List<String>> h = signed("GET", TARGET, null, ak, sk, now(), nonce());

        verify(TestJwt.service("catalog"), "GET", TARGET, h, null).statusCode(200)
                .body("valid", equalTo(true)).body("accessKey", equalTo(ak)).body("systemCode", equalTo(system))
                .body("agencyCode", equalTo(AGENCY)).body("environment", equalTo("production"))
                .body("components", contains("@method", "@target-uri")).body("created", notNullValue())
                .body("contentDigest", equalTo("not_covered")).body("$", not(hasKey("reason")));
        // The very same request again: the nonce is used up, whichever replica sees it (the store is the database).
        verify(ROUTING, "GET", TARGET, h, null).statusCode(200)
                .body("valid", equalTo(false)).body("reason", equalTo("replayed_nonce")).body("$", not(hasKey("accessKey")));
    }

    @Test
    void aSignedPostWithBodyIsBoundByItsDigest() throws Exception {
        JsonPath cred = createCredential(newSystem("HTTT-POST"), "test", "hmac");
        byte[] body = "{\"hoTen\":\"Nguyễn Văn A\"}".getBytes(StandardCharsets.UTF_8);
        String target = "https://provider.example.gov.vn/api/dan-cu/v1/lookup";
        Map<String, List<String>> h = signed("POST", target, body, cred.getString("accessKey"), cred.getString("secretKey"), now(), nonce());
        verify(TestJwt.system("HTTT-PROVIDER", AGENCY, "test"), "POST", target, h, sha256(body)).statusCode(200)
                .body("valid", equalTo(true)).body("components", hasItem("content-digest")).body("contentDigest", equalTo("verified"));

        // The provider received another body than the one whose digest was signed.
        Map<String, List<String>> h2 = signed("POST", target, body, cred.getString("accessKey"), cred.getString("secretKey"), now(), nonce());
        verify(ROUTING, "POST", target, h2, sha256("{\"hoTen\":\"B\"}".getBytes(StandardCharsets.UTF_8))).statusCode(200)
                .body("valid", equalTo(false)).body("reason", equalTo("digest_mismatch"));
        // A body without content-digest coverage is refused.
        Map<String, List<String>> h3 = signed("POST", target, null, cred.getString("accessKey"), cred.getString("secretKey"), now(), nonce());
        verify(ROUTING, "POST", target, h3, sha256(body)).statusCode(200)
                .body("valid", equalTo(false)).body("reason", equalTo("required_component_not_covered"));
        // The digest check failed before the nonce was consumed: the honest request with h2's nonce still verifies.
        verify(ROUTING, "POST", target, h2, sha256(body)).statusCode(200).body("valid", equalTo(true));
    }

    @Test
    void tamperedStaleMissingAndRevokedAreRefused() {
        JsonPath cred = createCredential(newSystem("HTTT-BAD"), "production", "hmac");
        String ak = cred.getString("accessKey");
        String sk = cred.getString("secretKey");

        Map<String, List<String>> h = signed("GET", TARGET, null, ak, sk, now(), nonce());
        verify(ROUTING, "GET", TARGET.replace("id=42", "id=43"), h, null).statusCode(200)
                .body("valid", equalTo(false)).body("reason", equalTo("bad_signature"));
        verify(ROUTING, "DELETE", TARGET, h, null).body("valid", equalTo(false)).body("reason", equalTo("bad_signature"));
        // The tampered attempts did not burn the nonce.
        verify(ROUTING, "GET", TARGET, h, null).body("valid", equalTo(true));

        verify(ROUTING, "GET", TARGET, signed("GET", TARGET, null, ak, sk, now() - 301, nonce()), null)
                .body("valid", equalTo(false)).body("reason", equalTo("stale"));
        verify(ROUTING, "GET", TARGET, signed("GET", TARGET, null, ak, sk, now() + 400, nonce()), null)
                .body("valid", equalTo(false)).body("reason", equalTo("future"));
        verify(ROUTING, "GET", TARGET, signed("GET", TARGET, null, ak, "sk_wrong-secret", now(), nonce()), null)
                .body("valid", equalTo(false)).body("reason", equalTo("bad_signature"));
        verify(ROUTING, "GET", TARGET, signed("GET", TARGET, null, "ak_nobody", sk, now(), nonce()), null)
                .body("valid", equalTo(false)).body("reason", equalTo("unknown_key"));
        verify(ROUTING, "GET", TARGET, signed("GET", TARGET, null, ak, sk, now(), null), null)
                .body("valid", equalTo(false)).body("reason", equalTo("missing_parameter"));
        verify(ROUTING, "GET", TARGET, Map.of("Host", List.of("provider.example.gov.vn")), null)
                .body("valid", equalTo(false)).body("reason", equalTo("missing_signature"));

        // A verification that passed primes the key cache; revocation must still take effect at once.
        given().auth().oauth2(TestJwt.operator()).post("/api/v1/credentials/" + cred.getString("id") + "/revoke").then().statusCode(200);
        verify(ROUTING, "GET", TARGET, signed("GET", TARGET, null, ak, sk, now(), nonce()), null)
                .body("valid", equalTo(false)).body("reason", equalTo("unknown_key"));
        // A client_secret credential's id is no access key.
        JsonPath cs = createCredential(newSystem("HTTT-CS"), "production", "client_secret");
        verify(ROUTING, "GET", TARGET, signed("GET", TARGET, null, cs.getString("clientId"), cs.getString("clientSecret"), now(), nonce()), null)
                .body("valid", equalTo(false)).body("reason", equalTo("unknown_key"));
    }

    @Test
    void failuresAreAuditedWithoutSecrets() {
        JsonPath cred = createCredential(newSystem("HTTT-AUD"), "production", "hmac");
        String ak = cred.getString("accessKey");
        String sk = cred.getString("secretKey");
        verify(ROUTING, "GET", TARGET, signed("GET", TARGET, null, ak, sk, now() - 1000, nonce()), null)
                .body("reason", equalTo("stale"));
        List<AuditEvent> events = audit.snapshot().stream()
                .filter(e -> AuditEvent.AUTH_FAILURE.equals(e.type()) && ak.equals(e.clientId())).toList();
        Assertions.assertFalse(events.isEmpty(), "an auth_failure event names the access key");
        AuditEvent e = events.get(0);
        Assertions.assertEquals(AuditEvent.AUTH_FAILURE, e.type());
        Assertions.assertEquals("signature_stale", e.errorType());
        Assertions.assertEquals("auth", e.source());

        // Once the key is known, the event also names the system and environment.
        verify(ROUTING, "GET", TARGET, signed("GET", TARGET, null, ak, "sk_guess", now(), nonce()), null)
                .body("reason", equalTo("bad_signature"));
        AuditEvent bad = audit.snapshot().stream().filter(x -> ak.equals(x.clientId()) && "signature_bad_signature".equals(x.errorType()))
                .findFirst().orElseThrow();
        Assertions.assertEquals("production", bad.environment());
        Assertions.assertEquals(cred.getString("systemCode"), bad.consumerSystem());
        for (AuditEvent x : audit.snapshot()) {
            Assertions.assertFalse(String.valueOf(x).contains(sk), "an audit event carries the secret key");
        }
        Assertions.assertFalse(e.toString().contains(sk), "the secret key never reaches the audit trail");
    }

    @Test
    void rotationOverlapAcceptsBothSecrets() {
        JsonPath cred = createCredential(newSystem("HTTT-ROT"), "production", "hmac");
        String ak = cred.getString("accessKey");
        String old = cred.getString("secretKey");
        verify(ROUTING, "GET", TARGET, signed("GET", TARGET, null, ak, old, now(), nonce()), null).body("valid", equalTo(true));
        String fresh = given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body("{\"overlapSeconds\":600}")
                .post("/api/v1/credentials/" + cred.getString("id") + "/rotate").then().statusCode(200).extract().path("secretKey");
        verify(ROUTING, "GET", TARGET, signed("GET", TARGET, null, ak, fresh, now(), nonce()), null).body("valid", equalTo(true));
        verify(ROUTING, "GET", TARGET, signed("GET", TARGET, null, ak, old, now(), nonce()), null).body("valid", equalTo(true));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body("{\"overlapSeconds\":0}")
                .post("/api/v1/credentials/" + cred.getString("id") + "/rotate").then().statusCode(200);
        verify(ROUTING, "GET", TARGET, signed("GET", TARGET, null, ak, old, now(), nonce()), null)
                .body("valid", equalTo(false)).body("reason", equalTo("bad_signature"));
    }

    @Test
    void badInputAndRoles() {
        given().auth().oauth2(ROUTING).contentType(ContentType.JSON).body("{\"method\":\"GET\",\"targetUri\":\"/relative\",\"headers\":{}}")
                .post("/api/v1/signatures/verify").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("targetUri"));
        given().auth().oauth2(ROUTING).contentType(ContentType.JSON).body("{\"bodySha256\":\"nope\"}")
                .post("/api/v1/signatures/verify").then().statusCode(400)
                .body("errors.field", org.hamcrest.Matchers.hasItems("method", "targetUri", "headers", "bodySha256"));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"method\":\"GET\",\"targetUri\":\"https://a.b/\",\"headers\":{}}")
                .post("/api/v1/signatures/verify").then().statusCode(403);
        given().contentType(ContentType.JSON).body("{\"method\":\"GET\",\"targetUri\":\"https://a.b/\",\"headers\":{}}")
                .post("/api/v1/signatures/verify").then().statusCode(401);
    }

    @Test
    void nonceRowsExpireAndArePurged() {
        pool.preparedQuery("INSERT INTO used_nonce (access_key, nonce, expires_at) VALUES ('ak_old', 'n', now() - interval '1 minute')")
                .execute().await().atMost(Duration.ofSeconds(5));
        int purged = nonces.purgeExpired().await().atMost(Duration.ofSeconds(5));
        Assertions.assertTrue(purged >= 1);
        long left = pool.query("SELECT count(*) FROM used_nonce WHERE access_key = 'ak_old'").execute()
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
        Assertions.assertEquals(0, left);
    }

    /**
     * Interop without the shared library: the signature base written out by hand from RFC 9421 §2.5 (as any client
     * in any language would), HMAC-SHA256 over it with the secret key's UTF-8 bytes, headers as on the wire.
     */
    @Test
    void aHandWrittenRfc9421SignatureVerifies() throws Exception {
        JsonPath cred = createCredential(newSystem("HTTT-HAND"), "production", "hmac");
        String ak = cred.getString("accessKey");
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        String digest = "sha-256=:" + sha256(body) + ":";
        long created = now();
        String nonce = "hand-" + UUID.randomUUID();
        String params = "(\"@method\" \"@authority\" \"@path\" \"@query\" \"content-digest\");created=" + created
                + ";keyid=\"" + ak + "\";nonce=\"" + nonce + "\";alg=\"hmac-sha256\"";
        String base = "\"@method\": POST\n"
                + "\"@authority\": provider.example.gov.vn:8443\n"
                + "\"@path\": /api/v1/x\n"
                + "\"@query\": ?q=1\n"
                + "\"content-digest\": " + digest + "\n"
                + "\"@signature-params\": " + params;
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(cred.getString("secretKey").getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String sig = Base64.getEncoder().encodeToString(mac.doFinal(base.getBytes(StandardCharsets.US_ASCII)));
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("content-digest", List.of(digest));
        headers.put("signature-input", List.of("req=" + params));
        headers.put("signature", List.of("req=:" + sig + ":"));
        verify(ROUTING, "post", "https://Provider.Example.gov.vn:8443/api/v1/x?q=1", headers, sha256(body)).statusCode(200)
                .body("valid", equalTo(true)).body("accessKey", equalTo(ak)).body("contentDigest", equalTo("verified"))
                .body("components", contains("@method", "@authority", "@path", "@query", "content-digest"));
    }
}
