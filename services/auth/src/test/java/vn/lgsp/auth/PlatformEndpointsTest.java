package vn.lgsp.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import vn.lgsp.testing.TestJwt;

@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class PlatformEndpointsTest {

    @Test
    void metadataDescribesTheServerFromTheIssuer() {
        given().get("/.well-known/oauth-authorization-server").then().statusCode(200)
                .body("issuer", equalTo(TestJwt.ISSUER))
                .body("token_endpoint", equalTo(TestJwt.ISSUER + "/oauth2/token"))
                .body("jwks_uri", equalTo(TestJwt.ISSUER + "/oauth2/jwks"))
                .body("introspection_endpoint", equalTo(TestJwt.ISSUER + "/oauth2/introspect"))
                .body("revocation_endpoint", equalTo(TestJwt.ISSUER + "/oauth2/revoke"))
                .body("grant_types_supported", equalTo(java.util.List.of("client_credentials",
                        "urn:ietf:params:oauth:grant-type:token-exchange"))) // identity providers configured (AuthTestResource)
                .body("token_endpoint_auth_methods_supported", hasItems("client_secret_basic", "client_secret_post"));
    }

    @Test
    void readinessOpenApiAndMetrics() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Reactive PostgreSQL")));
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/oauth2/token'", notNullValue())
                .body("paths.'/api/v1/credentials'", notNullValue())
                .body("paths.'/api/v1/systems/{systemCode}/agency'.put", notNullValue())
                .body("paths.'/api/v1/agencies/{oldCode}/code'.put", notNullValue());
        given().get("/oauth2/jwks").then().statusCode(200); // so there is at least one request to count
        given().get("/q/metrics").then().statusCode(200).body(containsString("http_server_requests"));
    }
}
