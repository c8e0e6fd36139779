package vn.lgsp.registry;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import vn.lgsp.testing.PlatformTestResource;

/** Health with a real database check, the OpenAPI document covering every endpoint, problems for unknown paths. */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
@QuarkusTestResource(AuthStub.class)
class PlatformEndpointsTest {

    @Test
    void readinessIncludesTheDatabase() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Reactive PostgreSQL")));
    }

    @Test
    void openApiDescribesEveryEndpoint() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/v1/agencies'.post.summary", notNullValue())
                .body("paths.'/api/v1/agencies/{code}'.put", notNullValue())
                .body("paths.'/api/v1/agencies/{code}/rename'.post", notNullValue())
                .body("paths.'/api/v1/agencies/{code}/merge'.post", notNullValue())
                .body("paths.'/api/v1/agencies/{code}/split'.post", notNullValue())
                .body("paths.'/api/v1/agencies/{code}/dissolve'.post", notNullValue())
                .body("paths.'/api/v1/agencies/{code}/history'.get", notNullValue())
                .body("paths.'/api/v1/systems'.get", notNullValue())
                .body("paths.'/api/v1/systems/{code}/contacts/{id}'.delete", notNullValue())
                .body("paths.'/api/v1/connection-requests/{id}/transitions'.post.summary", notNullValue());
    }

    @Test
    void unknownPathsAreProblems() {
        given().header("X-Request-Id", "test-request-0042").get("/api/v1/nothing-here").then().statusCode(404)
                .contentType("application/problem+json").body("requestId", equalTo("test-request-0042"));
    }
}
