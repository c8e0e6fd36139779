package vn.lgsp.routing.gateway.step;

import static vn.lgsp.routing.support.Gateway.gateway;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import jakarta.inject.Inject;
import vn.lgsp.common.audit.AuditEvent;
import vn.lgsp.common.audit.AuditPublisher;
import vn.lgsp.routing.support.Recorded;
import vn.lgsp.routing.support.Signer;
import org.junit.jupiter.api.Test;
import vn.lgsp.routing.support.RoutingTestResource;
import vn.lgsp.routing.support.Tokens;
import vn.lgsp.testing.TestJwt;

@QuarkusTest
@QuarkusTestResource(RoutingTestResource.class)
class IdentifyStepTest {

    @Inject
    AuditPublisher publisher;

    @Inject
    vn.lgsp.routing.snapshot.service.SnapshotLoader loader;

    private static final String URL = "/ho-tich/v1/echo";

    @Test
    void aValidSystemTokenPasses() {
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).get(URL).then().statusCode(200)
                .body("provider", equalTo("lgsp-stub-upstream"));
    }

    @Test
    void aMissingTokenIs401WithAChallenge() {
        gateway().get(URL).then().statusCode(401)
                .contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("type", equalTo("urn:lgsp:problem:unauthenticated"))
                .body("status", equalTo(401));
        gateway().header("Authorization", "Basic dXNlcjpwYXNz").get(URL).then().statusCode(401);
    }

    @Test
    void garbageExpiredAndForeignTokensAre401() {
        gateway().header("Authorization", "Bearer not-a-jwt").get(URL).then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer error=\"invalid_token\""));
        gateway().header("Authorization", Tokens.bearer(TestJwt.expired(RoutingTestResource.CONSUMER, Set.of("system"))))
                .get(URL).then().statusCode(401).body("detail", equalTo("The bearer token has expired"));
        gateway().header("Authorization", Tokens.bearer(TestJwt.signedByStranger(RoutingTestResource.CONSUMER, Set.of("system"))))
                .get(URL).then().statusCode(401).body("type", equalTo("urn:lgsp:problem:unauthenticated"));
    }

    @Test
    void refusedCredentialsAreAuthFailureRecordsNamingTheClaimedIdentity() throws Exception {
        // a token signed by a stranger: the identity it claimed, marked as claimed, and why
        String claimed = "HTTT-GIA-" + UUID.randomUUID().toString().substring(0, 8);
        String forgedToken = TestJwt.signedByStranger(claimed, Set.of("system"));
        AuditEvent forged = refused(Tokens.bearer(forgedToken), Map.of());
        assertEquals("routing", forged.source());
        assertEquals(claimed, forged.clientId(), "the subject the token claimed");
        assertEquals("invalid-token", forged.errorType());
        assertEquals("GET", forged.method());
        assertEquals(URL, forged.path());
        assertEquals(401, forged.status());
        assertTrue(forged.detail().startsWith("bearer token refused: "), forged.detail());
        assertTrue(forged.detail().contains("as claimed, not verified"), forged.detail());
        for (String part : forgedToken.split("\\.")) {
            assertFalse(forged.toString().contains(part), "no part of the token in the record");
        }

        AuditEvent expired = refused(Tokens.bearer(TestJwt.expired(RoutingTestResource.CONSUMER, Set.of("system"))), Map.of());
        assertEquals(RoutingTestResource.CONSUMER, expired.clientId());
        assertTrue(expired.detail().startsWith("bearer token expired at "), expired.detail());

        // an RFC 9421 signature made with the wrong secret: the access key it named, never the secret
        Map<String, String> signed = Signer.sign("GET", URL, null, RoutingTestResource.ACCESS_KEY,
                "a-wrong-secret-0123456789", System.currentTimeMillis() / 1000, "n-" + UUID.randomUUID());
        AuditEvent signature = refused(null, signed);
        assertEquals(RoutingTestResource.ACCESS_KEY, signature.clientId());
        assertEquals("signature-refused", signature.errorType());
        String mac = signed.get("Signature").substring(signed.get("Signature").indexOf(':'));
        assertFalse(signature.toString().contains(mac.replace(":", "")), "never the signature: " + signature);

        // a revoked credential's token verifies, then is refused: token-revoked (a system of this test's own, as
        // revocations stay for the whole run)
        String system = "HTTT-THUHOI-" + UUID.randomUUID().toString().substring(0, 8);
        String revoked = Tokens.bearer(TestJwt.system(system, RoutingTestResource.CONSUMER_AGENCY, "production"));
        RoutingTestResource.platform().revokeClient("ck-" + system);
        long deadline = System.currentTimeMillis() + 5000;
        while (gateway().header("Authorization", revoked).get(URL).statusCode() != 401 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        AuditEvent token = refused(revoked, Map.of());
        assertEquals("ck-" + system, token.clientId());
        assertEquals("token-revoked", token.errorType());

        // no credential is a challenge, and a good one a call: neither is an authentication failure
        for (String authorization : new String[] {null, Tokens.bearer(Tokens.consumer())}) {
            String requestId = "id-" + UUID.randomUUID();
            var call = gateway().header("X-Request-Id", requestId);
            if (authorization != null) {
                call.header("Authorization", authorization);
            }
            call.get(URL).then().statusCode(authorization == null ? 401 : 200);
            Recorded.transaction(publisher, requestId); // recorded after the refusal would have been
            assertEquals(List.of(), Recorded.authFailures(publisher, requestId, 0));
        }
    }

    /** Calls with these credentials, expects 401, and returns the call's one auth_failure record (besides its transaction). */
    private AuditEvent refused(String authorization, Map<String, String> headers) throws InterruptedException {
        String requestId = "id-" + UUID.randomUUID();
        var call = gateway().header("X-Request-Id", requestId).headers(headers);
        if (authorization != null) {
            call.header("Authorization", authorization);
        }
        call.get(URL).then().statusCode(401);
        assertEquals(401, Recorded.transaction(publisher, requestId).status(), "the call is recorded as ever");
        List<AuditEvent> found = Recorded.authFailures(publisher, requestId, 1);
        assertEquals(1, found.size(), "one auth_failure record: " + found);
        return found.get(0);
    }

    @Test
    void tokensOfOtherIssuersOrNonSystemsAre401() {
        String otherIssuer = Jwt.issuer("https://elsewhere.example/auth").subject(RoutingTestResource.CONSUMER)
                .groups(Set.of("system")).claim("env", "production").claim("agency", RoutingTestResource.CONSUMER_AGENCY)
                .expiresIn(Duration.ofMinutes(5)).jws().keyId(TestJwt.KEY_ID).sign(TestJwt.keys().getPrivate());
        gateway().header("Authorization", Tokens.bearer(otherIssuer)).get(URL).then().statusCode(401);
        gateway().header("Authorization", Tokens.bearer(TestJwt.operator())).get(URL).then().statusCode(401)
                .body("detail", equalTo("The bearer token does not belong to an agency system"));
    }

    @Test
    void anUnknownKeyIdRefreshesAuthsKeys() throws Exception {
        String rotated = Jwt.issuer(TestJwt.ISSUER).subject(RoutingTestResource.CONSUMER).groups(Set.of("system"))
                .claim("env", "production").claim("agency", RoutingTestResource.CONSUMER_AGENCY)
                .claim("client_id", "ck-" + RoutingTestResource.CONSUMER).expiresIn(Duration.ofMinutes(5))
                .jws().keyId("rotated-key").sign(TestJwt.keys().getPrivate());
        // A refresh within the last second (another test's unknown key) would be shared, not repeated: let it age.
        Thread.sleep(1100);
        int before = RoutingTestResource.platform().jwksCalls();
        // Not published yet: refused, after asking auth.
        gateway().header("Authorization", Tokens.bearer(rotated)).get(URL).then().statusCode(401)
                .body("detail", equalTo("The bearer token is signed with an unknown key"));
        org.junit.jupiter.api.Assertions.assertTrue(RoutingTestResource.platform().jwksCalls() > before,
                "an unknown key id must trigger a JWKS refresh");
        RoutingTestResource.platform().addKey("rotated-key", TestJwt.keys().getPublic());
        Thread.sleep(1100); // the refresh is rate-limited to one per second in tests
        gateway().header("Authorization", Tokens.bearer(rotated)).get(URL).then().statusCode(200);
    }

    @Test
    void aKeyAuthCannotBeAskedAboutIs503AndNoRefusedCredential() throws Exception {
        // auth rotated its keys and is unreachable: the token may be genuine, so not a 401 blaming the caller, and
        // not an auth_failure that would raise the auth-failures alert against a legitimate system
        String token = Jwt.issuer(TestJwt.ISSUER).subject(RoutingTestResource.CONSUMER).groups(Set.of("system"))
                .claim("env", "production").claim("agency", RoutingTestResource.CONSUMER_AGENCY)
                .claim("client_id", "ck-" + RoutingTestResource.CONSUMER).expiresIn(Duration.ofMinutes(5))
                .jws().keyId("key-while-auth-is-down-" + UUID.randomUUID()).sign(TestJwt.keys().getPrivate());
        RoutingTestResource.platform().down(true);
        try {
            long deadline = System.currentTimeMillis() + 5000;
            io.restassured.response.Response answer;
            String requestId;
            do {
                Thread.sleep(100); // the refresh is rate-limited: the failed one may take a moment to be the latest
                requestId = "id-" + UUID.randomUUID();
                answer = gateway().header("Authorization", Tokens.bearer(token)).header("X-Request-Id", requestId).get(URL);
            } while (answer.statusCode() != 503 && System.currentTimeMillis() < deadline);
            answer.then().statusCode(503).contentType("application/problem+json")
                    .body("type", equalTo("urn:lgsp:problem:unavailable")).header("Retry-After", equalTo("5"));
            Recorded.transaction(publisher, requestId);
            assertEquals(List.of(), Recorded.authFailures(publisher, requestId, 0));
        } finally {
            RoutingTestResource.platform().down(false);
            // the keys are known to be reachable again only after a refresh succeeds (others' tests need that)
            long deadline = System.currentTimeMillis() + 5000;
            while (loader.keysFailing() && System.currentTimeMillis() < deadline) {
                loader.refreshKeys();
                Thread.sleep(200);
            }
            Thread.sleep(1100); // and the refresh's rate limit (1 s in tests) has passed, as it had before
        }
    }

    @Test
    void aRevokedTokenIdIsRefusedAfterTheNextPoll() throws Exception {
        String jti = "jti-to-revoke-" + System.nanoTime();
        String token = TestJwt.claims(RoutingTestResource.CONSUMER, Set.of("system")).claim("env", "production")
                .claim("agency", RoutingTestResource.CONSUMER_AGENCY).claim("client_id", "ck-other")
                .claim("jti", jti).sign();
        gateway().header("Authorization", Tokens.bearer(token)).get(URL).then().statusCode(200);
        RoutingTestResource.platform().revokeToken(jti);
        long deadline = System.currentTimeMillis() + 2000;
        int status = 200;
        while (status == 200 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            status = gateway().header("Authorization", Tokens.bearer(token)).get(URL).statusCode();
        }
        org.junit.jupiter.api.Assertions.assertEquals(401, status, "a revoked token must be refused within 2 s");
        gateway().header("Authorization", Tokens.bearer(token)).get(URL).then().statusCode(401)
                .body("detail", equalTo("The credential behind this token has been revoked"));
    }
}
