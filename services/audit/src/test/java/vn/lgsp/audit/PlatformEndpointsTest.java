package vn.lgsp.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import vn.lgsp.testing.PlatformTestResource;

/** The endpoints an SRE relies on: health with a real database check, OpenAPI, metrics, request ids. */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
class PlatformEndpointsTest {

    @Test
    void readinessIncludesTheDatabase() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Reactive PostgreSQL")));
    }

    @Test
    void openApiAndMetricsAnswer() {
        given().get("/q/openapi?format=json").then().statusCode(200).body("paths", notNullValue())
                .body("paths.'/api/v1/events/batch'", notNullValue())
                .body("paths.'/api/v1/integrity/verify'", notNullValue())
                .body("paths.'/api/v1/statistics'", notNullValue())
                .body("paths.'/api/v1/reconciliation'", notNullValue())
                .body("paths.'/api/v1/legal-holds'", notNullValue())
                .body("paths.'/api/v1/alert-rules'", notNullValue())
                .body("paths.'/api/v1/alerts'", notNullValue())
                .body("paths.'/api/v1/evaluations/{id}/publish'", notNullValue());
        given().get("/q/metrics").then().statusCode(200).body(containsString("http_server_requests"));
    }

    @Test
    void unknownPathsAreProblemsWithTheRequestId() {
        given().header("X-Request-Id", "test-request-0001").get("/api/v1/nothing-here").then().statusCode(404)
                .contentType("application/problem+json")
                .header("X-Request-Id", "test-request-0001")
                .body("requestId", equalTo("test-request-0001"))
                .body("type", equalTo("urn:lgsp:problem:not-found"));
    }
}
