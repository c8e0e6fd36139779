package vn.lgsp.auth.account;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static vn.lgsp.auth.AuthFixtures.verify;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.UUID;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;
import vn.lgsp.auth.AuthTestResource;
import vn.lgsp.testing.TestJwt;

@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class AdminResourceTest {

    @jakarta.inject.Inject
    vn.lgsp.common.audit.AuditPublisher audit;

    private static io.restassured.response.Response login(String username, String password) {
        return given().contentType(ContentType.JSON).body("{\"username\":\"" + username + "\",\"password\":\"" + password + "\"}")
                .post("/api/v1/admin/login");
    }

    @Test
    void bootstrapOperatorLogsInAndGetsARoleBearingToken() throws Exception {
        String token = login("operator", "bootstrap-operator-pass").then().statusCode(200)
                .header("Cache-Control", "no-store")
                .body("token_type", equalTo("Bearer")).body("expires_in", equalTo(3600))
                .extract().path("access_token");
        JwtClaims claims = verify(token);
        assertEquals("operator", claims.getSubject());
        assertEquals(List.of("operator"), claims.getStringListClaimValue("groups"));
        assertNull(claims.getClaimValue("agency"));
        // The sign-in is audited with how it was made (never the password).
        org.junit.jupiter.api.Assertions.assertTrue(audit.snapshot().stream().anyMatch(e -> "login".equals(e.action())
                && "operator".equals(e.actor()) && "password".equals(e.after().get("method").asText())
                && !e.after().toString().contains("bootstrap-operator-pass")));
    }

    @Test
    void wrongPasswordAndUnknownUserAreTheSame401() {
        login("operator", "not-the-password").then().statusCode(401).contentType("application/problem+json")
                .body("detail", equalTo("Wrong username or password, or the account is disabled"));
        login("nobody-" + UUID.randomUUID().toString().substring(0, 6), "whatever-password").then().statusCode(401)
                .body("detail", equalTo("Wrong username or password, or the account is disabled"));
        given().contentType(ContentType.JSON).body("{\"username\":\"operator\"}").post("/api/v1/admin/login")
                .then().statusCode(400).body("errors[0].field", equalTo("password"));
    }

    @Test
    void agencyAdminAccountsCarryTheirAgencyAndCanBeDisabled() throws Exception {
        String username = "admin-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"username\":\"" + username + "\",\"password\":\"long-enough-pass\",\"role\":\"agency-admin\",\"agencyCode\":\"000.00.00.H62\"}")
                .post("/api/v1/admin/accounts").then().statusCode(201)
                .body("username", equalTo(username)).body("role", equalTo("agency-admin"))
                .body("passwordHash", equalTo(null));
        JwtClaims claims = verify(login(username, "long-enough-pass").then().statusCode(200).extract().path("access_token"));
        assertEquals(List.of("agency-admin"), claims.getStringListClaimValue("groups"));
        assertEquals("000.00.00.H62", claims.getStringClaimValue("agency"));

        given().auth().oauth2(TestJwt.auditor()).get("/api/v1/admin/accounts?size=200").then().statusCode(200)
                .body("items.username", hasItem(username)).body("items.passwordHash", not(hasItem(notNullValue())));

        given().auth().oauth2(TestJwt.operator()).post("/api/v1/admin/accounts/" + username + "/disable").then().statusCode(200)
                .body("status", equalTo("disabled"));
        login(username, "long-enough-pass").then().statusCode(401);
        given().auth().oauth2(TestJwt.operator()).post("/api/v1/admin/accounts/" + username + "/enable").then().statusCode(200);
        login(username, "long-enough-pass").then().statusCode(200);
    }

    @Test
    void accountInputIsValidated() {
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"username\":\"Bad Name\",\"password\":\"short\",\"role\":\"root\"}")
                .post("/api/v1/admin/accounts").then().statusCode(400)
                .body("errors.field", hasItem("username")).body("errors.field", hasItem("password")).body("errors.field", hasItem("role"));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"username\":\"someone\",\"password\":\"long-enough-pass\",\"role\":\"agency-admin\"}")
                .post("/api/v1/admin/accounts").then().statusCode(400).body("errors[0].field", equalTo("agencyCode"));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"username\":\"operator\",\"password\":\"long-enough-pass\",\"role\":\"operator\"}")
                .post("/api/v1/admin/accounts").then().statusCode(409).body("type", equalTo("urn:lgsp:problem:duplicate"));
        given().auth().oauth2(TestJwt.auditor()).contentType(ContentType.JSON)
                .body("{\"username\":\"someone\",\"password\":\"long-enough-pass\",\"role\":\"auditor\"}")
                .post("/api/v1/admin/accounts").then().statusCode(403);
    }

    @Test
    void repeatedLoginFailuresAreThrottled() {
        String username = "victim-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"username\":\"" + username + "\",\"password\":\"long-enough-pass\",\"role\":\"auditor\"}")
                .post("/api/v1/admin/accounts").then().statusCode(201);
        for (int i = 0; i < 5; i++) {
            login(username, "guess-number-" + i).then().statusCode(401);
        }
        login(username, "long-enough-pass").then().statusCode(429).header("Retry-After", notNullValue())
                .contentType("application/problem+json").body("type", equalTo("urn:lgsp:problem:rate-limited"));
    }
}
