package vn.lgsp.auth.oauth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static vn.lgsp.auth.AuthFixtures.accessToken;
import static vn.lgsp.auth.AuthFixtures.basic;
import static vn.lgsp.auth.AuthFixtures.createCredential;
import static vn.lgsp.auth.AuthFixtures.newSystem;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.Set;
import org.junit.jupiter.api.Test;
import vn.lgsp.auth.AuthTestResource;
import vn.lgsp.testing.TestJwt;

@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class IntrospectionRevocationTest {

    private static final String ROUTING = basic("routing", "routing-test-secret-0123456789");
    private static final String FORM = "application/x-www-form-urlencoded";

    private static Response introspect(String caller, String token) {
        return given().header("Authorization", caller).contentType(FORM).formParam("token", token).post("/oauth2/introspect");
    }

    private static Response revoke(String caller, String token) {
        return given().header("Authorization", caller).contentType(FORM).formParam("token", token)
                .formParam("token_type_hint", "access_token").post("/oauth2/revoke");
    }

    @Test
    void introspectionTellsActiveTokensFromEverythingElse() {
        String system = newSystem("HTTT-INTRO");
        JsonPath cred = createCredential(system, "production", "client_secret");
        String token = accessToken(cred.getString("clientId"), cred.getString("clientSecret"));

        introspect(ROUTING, token).then().statusCode(200).header("Cache-Control", "no-store")
                .body("active", equalTo(true))
                .body("sub", equalTo(system))
                .body("client_id", equalTo(cred.getString("clientId")))
                .body("scope", equalTo("dan-cu:v1 dat-dai:v2"))
                .body("agency", equalTo("000.00.00.H62"))
                .body("env", equalTo("production"))
                .body("iss", equalTo(TestJwt.ISSUER))
                .body("token_type", equalTo("Bearer"));
        // A system may introspect too (e.g. a provider checking a caller's token).
        introspect(basic(cred.getString("clientId"), cred.getString("clientSecret")), token).then().statusCode(200)
                .body("active", equalTo(true));

        introspect(ROUTING, "not-a-jwt").then().statusCode(200).body("active", equalTo(false));
        introspect(ROUTING, TestJwt.signedByStranger(system, Set.of("system"))).then().statusCode(200).body("active", equalTo(false));
        introspect(ROUTING, TestJwt.expired(system, Set.of("system"))).then().statusCode(200).body("active", equalTo(false));
        // Tampered payload, original signature.
        String[] parts = token.split("\\.");
        String forged = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];
        introspect(ROUTING, forged).then().statusCode(200).body("active", equalTo(false));
        // alg none with our kid.
        String header = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"alg\":\"none\",\"kid\":\"" + kid(token) + "\"}").getBytes());
        introspect(ROUTING, header + "." + parts[1] + ".").then().statusCode(200).body("active", equalTo(false));

        // Introspection requires client authentication.
        given().contentType(FORM).formParam("token", token).post("/oauth2/introspect").then().statusCode(401)
                .body("error", equalTo("invalid_client"));
        given().header("Authorization", ROUTING).contentType(FORM).post("/oauth2/introspect").then().statusCode(400)
                .body("error", equalTo("invalid_request"));
    }

    @Test
    void aSystemRevokesItsOwnTokenAndTheFeedListsIt() {
        String system = newSystem("HTTT-REVOKE");
        JsonPath cred = createCredential(system, "production", "client_secret");
        String own = basic(cred.getString("clientId"), cred.getString("clientSecret"));
        String token = accessToken(cred.getString("clientId"), cred.getString("clientSecret"));
        String jti = introspect(ROUTING, token).then().extract().path("jti");

        Response before = given().auth().oauth2(TestJwt.service("routing")).get("/api/v1/feed/revocations");
        before.then().statusCode(200).body("revokedTokenIds", not(hasItem(jti)));
        String etag = before.header("ETag");

        // Another system may not revoke it.
        JsonPath other = createCredential(newSystem("HTTT-OTHER"), "production", "client_secret");
        revoke(basic(other.getString("clientId"), other.getString("clientSecret")), token).then().statusCode(400)
                .body("error", equalTo("unauthorized_client"));
        introspect(ROUTING, token).then().body("active", equalTo(true));

        revoke(own, token).then().statusCode(200).header("Cache-Control", "no-store");
        introspect(ROUTING, token).then().statusCode(200).body("active", equalTo(false));
        // Revoking again, or revoking garbage, is still 200 (RFC 7009 §2.2).
        revoke(own, token).then().statusCode(200);
        revoke(own, "garbage").then().statusCode(200);

        given().auth().oauth2(TestJwt.service("routing")).header("If-None-Match", etag).get("/api/v1/feed/revocations")
                .then().statusCode(200).body("revokedTokenIds", hasItem(jti));
        String now = given().auth().oauth2(TestJwt.service("routing")).get("/api/v1/feed/revocations").then().extract().header("ETag");
        given().auth().oauth2(TestJwt.service("routing")).header("If-None-Match", now).get("/api/v1/feed/revocations")
                .then().statusCode(304);
    }

    @Test
    void revokingTheCredentialDeactivatesItsTokensAndFeedsTheClientId() {
        JsonPath cred = createCredential(newSystem("HTTT-CREDREV"), "production", "client_secret");
        String token = accessToken(cred.getString("clientId"), cred.getString("clientSecret"));
        given().auth().oauth2(TestJwt.service("registry")).post("/api/v1/credentials/" + cred.getString("id") + "/revoke")
                .then().statusCode(200);
        introspect(ROUTING, token).then().body("active", equalTo(false));
        given().auth().oauth2(TestJwt.service("routing")).get("/api/v1/feed/revocations").then().statusCode(200)
                .body("revokedClientIds", hasItem(cred.getString("clientId")));
    }

    @Test
    void theFeedIsForServicesOnly() {
        given().auth().oauth2(TestJwt.operator()).get("/api/v1/feed/revocations").then().statusCode(403);
        given().get("/api/v1/feed/revocations").then().statusCode(401);
    }

    private static String kid(String token) {
        String header = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[0]));
        return header.replaceAll(".*\"kid\":\"([^\"]+)\".*", "$1");
    }
}
