package vn.lgsp.routing.upstreamauth;

import static vn.lgsp.routing.support.Gateway.gateway;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import vn.lgsp.routing.support.RoutingTestResource;
import vn.lgsp.routing.support.StubPlatform;
import vn.lgsp.routing.support.Tokens;

/** The transform step presents the provider's own credentials (catalog's upstreamAuth), never the caller's. */
@QuarkusTest
@QuarkusTestResource(RoutingTestResource.class)
class UpstreamCredentialsTest {

    @Test
    void aStaticHeaderSecretReachesTheProviderInPlaceOfTheCallersToken() {
        String requestId = "static-header-" + System.nanoTime();
        Response r = gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).header("X-Request-Id", requestId)
                .get("/khoa/v1/records?id=7");
        r.then().statusCode(200).body("headers.authorization", equalTo(null));
        java.util.Map<String, String> received = RoutingTestResource.upstream().received().stream()
                .filter(h -> requestId.equals(h.get("x-request-id"))).findFirst().orElseThrow();
        assertEquals(RoutingTestResource.STATIC_SECRET, received.get("x-api-key"));
        assertEquals(null, received.get("authorization"), "the caller's token never reaches the provider");
        // the secret is read from a file with its trailing newline removed, and is never echoed to the caller
        assertTrue(!r.getHeaders().toString().contains(RoutingTestResource.STATIC_SECRET));
    }

    @Test
    void anOAuth2TokenIsObtainedOnceAndReusedForLaterCalls() {
        int before = RoutingTestResource.platform().providerTokenCalls();
        String first = call("/ndxp/v1/a").then().statusCode(200).extract().path("headers.authorization");
        String second = call("/ndxp/v1/b").then().statusCode(200).extract().path("headers.authorization");
        assertTrue(first.startsWith("Bearer ndxp-token-"), first);
        assertEquals(first, second, "the provider token is cached until shortly before it expires");
        assertTrue(RoutingTestResource.platform().providerTokenCalls() - before <= 1,
                "at most one token request for both calls");
    }

    @Test
    void aMissingSecretOrARefusedTokenRequestIs502AndNothingReachesTheProvider() {
        String requestId = "missing-secret-" + System.nanoTime();
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).header("X-Request-Id", requestId)
                .get("/khoa-thieu/v1/x").then().statusCode(502)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:lgsp:problem:upstream-auth-failed"))
                .body("detail", containsString("no-such-secret"));
        call("/ndxp-sai/v1/x").then().statusCode(502)
                .body("type", equalTo("urn:lgsp:problem:upstream-auth-failed"))
                .body("detail", containsString("401 (invalid_client)"))
                .body("detail", not(containsString(StubPlatform.NDXP_CLIENT_SECRET)));
        assertTrue(RoutingTestResource.upstream().received().stream()
                .noneMatch(h -> requestId.equals(h.get("x-request-id"))), "the provider never saw the refused call");
    }

    private static Response call(String path) {
        return gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).get(path);
    }
}
