package vn.lgsp.routing.gateway.step;

import static io.restassured.RestAssured.given;
import static vn.lgsp.routing.support.Gateway.gateway;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import vn.lgsp.routing.support.RoutingTestResource;
import vn.lgsp.routing.support.Tokens;

@QuarkusTest
@QuarkusTestResource(RoutingTestResource.class)
class RouteStepTest {

    @Test
    void aPublishedVersionIsRoutedWithTheRestOfThePathAndQuery() {
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer()))
                .get("/ho-tich/v1/citizens/123?fields=name&x=1").then().statusCode(200)
                .body("path", equalTo("/citizens/123"))
                .body("query", equalTo("fields=name&x=1"))
                .header("Deprecation", nullValue());
    }

    @Test
    void unknownAndDraftVersionsAre404() {
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).get("/khong-co/v1/x").then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:lgsp:problem:service-not-found"));
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).get("/ho-tich/v9/x").then().statusCode(404);
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).get("/thue/v1/x").then().statusCode(404)
                .body("type", equalTo("urn:lgsp:problem:service-not-found"));
    }

    @Test
    void aTestingVersionIsOnlyForTheTestEnvironment() {
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).get("/thu-nghiem/v1/x").then().statusCode(404);
        gateway().header("Authorization", Tokens.bearer(Tokens.consumerInTest())).get("/thu-nghiem/v1/x").then().statusCode(200);
    }

    @Test
    void aRetiredVersionIs410() {
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).get("/dat-dai/v1/x").then().statusCode(410)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:lgsp:problem:gone"));
    }

    @Test
    void aDeprecatedVersionServesWithDeprecationSunsetAndSuccessor() {
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).get("/dan-cu/v1/x").then().statusCode(200)
                .header("Deprecation", equalTo("@" + Instant.parse(RoutingTestResource.DEPRECATED_AT).getEpochSecond()))
                .header("Sunset", equalTo("Wed, 30 Jun 2027 00:00:00 GMT"))
                .header("Link", equalTo("</dan-cu/v2>; rel=\"successor-version\""))
                .body("provider", equalTo("lgsp-stub-upstream"));
    }

    @Test
    void adminAndPlatformPathsAreNotGatewayCalls() {
        given().get("/q/health/live").then().statusCode(200);
        given().get("/api/v1/nothing").then().statusCode(404).body("type", equalTo("urn:lgsp:problem:not-found"));
    }
}
