package vn.lgsp.routing.gateway.step;

import static vn.lgsp.routing.support.Gateway.gateway;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.build.Jwt;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;
import vn.lgsp.routing.support.RoutingTestResource;
import vn.lgsp.routing.support.Tokens;
import vn.lgsp.testing.TestJwt;

@QuarkusTest
@QuarkusTestResource(RoutingTestResource.class)
class IdentifyStepTest {

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
