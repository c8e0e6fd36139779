package vn.lgsp.routing.gateway.step;

import static vn.lgsp.routing.support.Gateway.gateway;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import vn.lgsp.routing.support.RoutingTestResource;
import vn.lgsp.routing.support.Tokens;
import vn.lgsp.testing.TestJwt;

@QuarkusTest
@QuarkusTestResource(RoutingTestResource.class)
class LimitStepTest {

    @Test
    void callsWithinTheBurstPassAndTheNextIs429WithRetryAfterAndRateLimitHeaders() {
        String token = Tokens.bearer(TestJwt.system(RoutingTestResource.LIMITED, RoutingTestResource.CONSUMER_AGENCY, "production"));
        // rps 1, burst 2: two immediate calls pass, the third is refused.
        long start = System.nanoTime();
        gateway().header("Authorization", token).get("/han-che/v1/a").then().statusCode(200);
        gateway().header("Authorization", token).get("/han-che/v1/b").then().statusCode(200);
        // The bucket refills one token a second: should the calls so far have taken that long (a GC pause, a starved
        // CI box), a token is back and the next call may pass — but only then; the refusal comes a call later.
        Response refused = gateway().header("Authorization", token).get("/han-che/v1/c");
        for (int i = 0; i < 3 && refused.statusCode() == 200
                && System.nanoTime() - start >= (i + 1) * 1_000_000_000L; i++) {
            refused = gateway().header("Authorization", token).get("/han-che/v1/c");
        }
        assertEquals(429, refused.statusCode());
        refused.then().contentType("application/problem+json")
                .body("type", equalTo("urn:lgsp:problem:rate-limited"))
                .header("Retry-After", equalTo("1"))
                .header("RateLimit-Policy", equalTo("\"rate\";q=1;w=1;burst=2, \"daily\";q=1000;w=86400"))
                .header("RateLimit", containsString("\"rate\";r=0;t=1"));
    }

    @Test
    void anUnlimitedSubscriptionIsNotThrottled() {
        for (int i = 0; i < 5; i++) {
            gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).get("/ho-tich/v1/x").then().statusCode(200);
        }
    }
}
