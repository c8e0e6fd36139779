package vn.lgsp.routing.gateway.step;

import static io.restassured.RestAssured.given;
import static vn.lgsp.routing.support.Gateway.gateway;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.List;
import java.util.Map;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.junit.jupiter.api.Test;
import vn.lgsp.routing.support.RoutingTestResource;
import vn.lgsp.routing.support.Tokens;

@QuarkusTest
@QuarkusTestResource(RoutingTestResource.class)
class TransformStepTest {

    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    private Map<String, String> forwarded(String requestId) {
        List<Map<String, String>> received = RoutingTestResource.upstream().received();
        return received.stream().filter(h -> requestId.equals(h.get("x-request-id"))).findFirst()
                .orElseThrow(() -> new AssertionError("the provider never received request " + requestId));
    }

    @Test
    void credentialsAndHopByHopHeadersAreStrippedAndGatewayHeadersAdded() throws Exception {
        String requestId = "transform-" + System.nanoTime();
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer()))
                .header("X-Request-Id", requestId)
                .header("Cookie", "session=secret")
                .header("Signature", "sig1=:abc:")
                .header("Signature-Input", "sig1=(\"@method\")")
                .header("Proxy-Authorization", "Basic eDp5")
                .header("Connection", "keep-alive, X-Hop")
                .header("X-Hop", "must-not-pass")
                .header("X-LGSP-Gateway-Assertion", "forged")
                .header("X-Business", "kept")
                .header("traceparent", "00-" + TRACE + "-00f067aa0ba902b7-01")
                .get("/ho-tich/v1/echo").then().statusCode(200);

        Map<String, String> h = forwarded(requestId);
        for (String gone : List.of("authorization", "cookie", "signature", "signature-input", "proxy-authorization", "x-hop")) {
            assertFalse(h.containsKey(gone), gone + " must not reach the provider");
        }
        assertEquals("kept", h.get("x-business"));
        assertTrue(h.get("traceparent").startsWith("00-" + TRACE + "-"), "the caller's trace continues");
        assertFalse(h.get("traceparent").contains("00f067aa0ba902b7"), "the gateway is the new parent");
        assertTrue(h.get("x-forwarded-for").contains("127.0.0.1"));
        assertTrue(h.get("forwarded").startsWith("for=127.0.0.1;proto=http"));

        String assertion = h.get("x-lgsp-gateway-assertion");
        assertNotEquals("forged", assertion);
        String jwks = given().get("/.well-known/jwks.json").then().statusCode(200).extract().asString();
        PublicJsonWebKey key = (PublicJsonWebKey) new JsonWebKeySet(jwks).getJsonWebKeys().get(0);
        JwtClaims claims = new JwtConsumerBuilder().setVerificationKey(key.getPublicKey())
                .setExpectedIssuer("urn:lgsp:routing").setExpectedAudience(RoutingTestResource.PROVIDER)
                .setRequireExpirationTime().build().processToClaims(assertion);
        assertEquals(RoutingTestResource.CONSUMER, claims.getSubject());
        assertEquals(RoutingTestResource.CONSUMER_AGENCY, claims.getStringClaimValue("agency"));
        assertEquals("ho-tich", claims.getStringClaimValue("service"));
        assertEquals("v1", claims.getStringClaimValue("version"));
        assertEquals("production", claims.getStringClaimValue("env"));
        assertEquals(300, claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue());
    }

    @Test
    void theAssertionIsReusedNotSignedPerRequestAndATraceStartsWhenNoneCame() {
        String first = "assert-a-" + System.nanoTime();
        String second = "assert-b-" + System.nanoTime();
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).header("X-Request-Id", first)
                .get("/ho-tich/v1/one").then().statusCode(200);
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).header("X-Request-Id", second)
                .get("/ho-tich/v1/two").then().statusCode(200);
        assertEquals(forwarded(first).get("x-lgsp-gateway-assertion"), forwarded(second).get("x-lgsp-gateway-assertion"));
        String traceparent = forwarded(first).get("traceparent");
        assertNotNull(traceparent);
        assertTrue(traceparent.matches("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}"), traceparent);
    }

    @Test
    void aProxysForwardedForIsKeptAndTheHopThatReachedTheGatewayAppended() {
        String requestId = "xff-" + System.nanoTime();
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).header("X-Request-Id", requestId)
                .header("X-Forwarded-For", "203.0.113.9").get("/ho-tich/v1/echo").then().statusCode(200);
        Map<String, String> h = forwarded(requestId);
        // once each: the original client (the proxy's word), then the proxy itself (the TCP peer)
        assertEquals("203.0.113.9, 127.0.0.1", h.get("x-forwarded-for"));
        assertTrue(h.get("forwarded").startsWith("for=127.0.0.1;proto=http"), h.get("forwarded"));
    }

    /** The claims of the assertion the provider received with {@code requestId}, verified with the gateway's JWKS. */
    private JwtClaims assertionOf(String requestId) throws Exception {
        String jwks = given().get("/.well-known/jwks.json").then().statusCode(200).extract().asString();
        PublicJsonWebKey key = (PublicJsonWebKey) new JsonWebKeySet(jwks).getJsonWebKeys().get(0);
        return new JwtConsumerBuilder().setVerificationKey(key.getPublicKey())
                .setExpectedIssuer("urn:lgsp:routing").setExpectedAudience(RoutingTestResource.PROVIDER)
                .setRequireExpirationTime().build().processToClaims(forwarded(requestId).get("x-lgsp-gateway-assertion"));
    }

    /** GET /ho-tich/v1/echo as {@code system}; the request id, or null when the gateway did not answer 200. */
    private static String call(String system) {
        String requestId = "level-" + System.nanoTime();
        int status = gateway().header("Authorization", Tokens.bearer(vn.lgsp.testing.TestJwt.system(system,
                RoutingTestResource.CONSUMER_AGENCY, "production"))).header("X-Request-Id", requestId)
                .get("/ho-tich/v1/echo").statusCode();
        return status == 200 ? requestId : null;
    }

    /**
     * The provider learns the subscription's access level (REQUIREMENTS A3) from the assertion, and a changed level
     * from the next call, not when the cached assertion lapses.
     */
    @Test
    void theAssertionCarriesTheAccessLevelAndANewOneWhenItChanges() throws Exception {
        assertEquals("use", assertionOf(call(RoutingTestResource.USER)).getStringClaimValue("access_level"));
        assertEquals("share", assertionOf(call(RoutingTestResource.SHARER)).getStringClaimValue("access_level"));
        assertNull(assertionOf(call(RoutingTestResource.CONSUMER)).getClaimValue("access_level"),
                "an unrestricted subscription (no level in the feed) carries no claim");

        String system = "HTTT-DOICAP";
        io.vertx.core.json.JsonObject sub = RoutingTestResource.sub(system, "ho-tich", "v1", "production", null, null,
                null);
        RoutingTestResource.platform().change("subscription", sub.copy().put("accessLevel", "view"));
        String first = awaitCall(system);
        JwtClaims before = assertionOf(first);
        assertEquals("view", before.getStringClaimValue("access_level"));

        RoutingTestResource.platform().change("subscription", sub.copy().put("accessLevel", "update"));
        long deadline = System.currentTimeMillis() + 3000;
        String later = call(system);
        while (!"update".equals(assertionOf(later).getStringClaimValue("access_level"))
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            later = call(system);
        }
        assertEquals("update", assertionOf(later).getStringClaimValue("access_level"),
                "a fresh assertion for the new level, not the cached one");
        assertNotEquals(forwarded(first).get("x-lgsp-gateway-assertion"), forwarded(later).get("x-lgsp-gateway-assertion"));
    }

    /** Waits (the feed is polled every 200 ms in tests) until {@code system}'s call is served; its request id. */
    private static String awaitCall(String system) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 3000;
        String requestId = call(system);
        while (requestId == null && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            requestId = call(system);
        }
        assertNotNull(requestId, system + " is served once its subscription arrives");
        return requestId;
    }
}
