package vn.lgsp.routing.gateway.step;

import static vn.lgsp.routing.support.Gateway.gateway;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import vn.lgsp.routing.support.RoutingTestResource;
import vn.lgsp.routing.support.Tokens;
import vn.lgsp.testing.TestJwt;

@QuarkusTest
@QuarkusTestResource(RoutingTestResource.class)
class EntitleStepTest {

    @Test
    void anActiveSubscriptionPasses() {
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).get("/ho-tich/v1/x").then().statusCode(200);
    }

    @Test
    void noSubscriptionToThatVersionIs403() {
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).get("/ho-tich/v2/x").then().statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:lgsp:problem:not-subscribed"))
                .body("detail", containsString("HTTT-MOTCUA"));
    }

    @Test
    void aSuspendedSubscriptionIs403() {
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).get("/han-che/v1/x").then().statusCode(403);
    }

    @Test
    void onlyTheDaysOfThePeriodOfUseAreServed() {
        gateway().header("Authorization", Tokens.bearer(TestJwt.system(RoutingTestResource.PERIOD_LAST_DAY,
                RoutingTestResource.CONSUMER_AGENCY, "production"))).get("/ho-tich/v1/x").then().statusCode(200);
        gateway().header("Authorization", Tokens.bearer(TestJwt.system(RoutingTestResource.PERIOD_OVER,
                RoutingTestResource.CONSUMER_AGENCY, "production"))).get("/ho-tich/v1/x").then().statusCode(403)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:lgsp:problem:not-subscribed"))
                .body("detail", containsString("period of use is over"));
        gateway().header("Authorization", Tokens.bearer(TestJwt.system(RoutingTestResource.PERIOD_AHEAD,
                RoutingTestResource.CONSUMER_AGENCY, "production"))).get("/ho-tich/v1/x").then().statusCode(403)
                .body("type", equalTo("urn:lgsp:problem:not-subscribed"))
                .body("detail", containsString("has not started"));
    }

    @Test
    void aSubscriptionInTheOtherEnvironmentIs403() {
        // Subscribed in production only: a test-environment token is not entitled.
        gateway().header("Authorization", Tokens.bearer(Tokens.consumerInTest())).get("/ho-tich/v1/x").then().statusCode(403);
        gateway().header("Authorization", Tokens.bearer(TestJwt.system("HTTT-LA", "000.00.00.H09", "production")))
                .get("/ho-tich/v1/x").then().statusCode(403);
    }
}
