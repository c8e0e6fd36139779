package vn.lgsp.auth.account;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import vn.lgsp.auth.AuthTestResource;
import vn.lgsp.testing.TestJwt;

/**
 * Admin tokens end with the account's access: disabling it, changing or resetting its password and logging out
 * revoke tokens already issued (auth's own API refuses them before the call that revoked them returns; the others
 * read the revocation feed). Tokens here are minted with the test key as if auth had issued them to the account.
 */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class AdminSessionTest {

    private static final String PASSWORD = "long-enough-pass";

    private static String newAccount(String role, String agency) {
        String username = "s-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body(agency == null ? Map.of("username", username, "password", PASSWORD, "role", role)
                        : Map.of("username", username, "password", PASSWORD, "role", role, "agencyCode", agency))
                .post("/api/v1/admin/accounts").then().statusCode(201);
        return username;
    }

    /** A token of the account as auth issues them: sub = username, groups = [role], iat now (or as given). */
    private static String tokenOf(String username, String role, long issuedAt) {
        return TestJwt.claims(username, Set.of(role)).claim("iat", issuedAt).sign();
    }

    private static long now() {
        return System.currentTimeMillis() / 1000;
    }

    private static void readsAccounts(String token, int status) {
        var r = given().auth().oauth2(token).get("/api/v1/admin/accounts?size=1").then().statusCode(status);
        if (status == 401) {
            r.contentType("application/problem+json").body("type", equalTo("urn:lgsp:problem:unauthenticated"))
                    .body("detail", containsString("revoked"))
                    .header("WWW-Authenticate", containsString("invalid_token"));
        }
    }

    private static JsonPath feed() {
        return given().auth().oauth2(TestJwt.service("registry")).get("/api/v1/feed/revocations").then().statusCode(200)
                .extract().jsonPath();
    }

    private static io.restassured.response.Response login(String username, String password) {
        return given().contentType(ContentType.JSON).body(Map.of("username", username, "password", password))
                .post("/api/v1/admin/login");
    }

    @Test
    void disablingAnAccountRevokesItsTokensAndEnablingItAgainDoesNotBringThemBack() {
        String username = newAccount("auditor", null);
        String before = tokenOf(username, "auditor", now() - 30);
        readsAccounts(before, 200);
        long revision = feed().getLong("revision");

        given().auth().oauth2(TestJwt.operator()).post("/api/v1/admin/accounts/" + username + "/disable").then().statusCode(200);
        readsAccounts(before, 401);
        JsonPath feed = feed();
        assertTrue(feed.getLong("revision") > revision, "the revision moved, so pollers re-read");
        List<Map<String, Object>> subjects = feed.getList("revokedSubjects");
        Map<String, Object> entry = subjects.stream().filter(e -> username.equals(e.get("subject"))).findFirst().orElseThrow();
        long upTo = ((Number) entry.get("issuedAtOrBefore")).longValue();
        assertTrue(upTo >= now() - 5 && upTo <= now(), "revoked up to the second of disabling: " + upTo);

        given().auth().oauth2(TestJwt.operator()).post("/api/v1/admin/accounts/" + username + "/enable").then().statusCode(200);
        readsAccounts(before, 401);
        // what auth issues after the enable is not caught: login waits out the revocation's second
        String token = login(username, PASSWORD).then().statusCode(200).extract().path("access_token");
        long iat = Long.parseLong(new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]))
                .replaceAll(".*\"iat\":(\\d+).*", "$1"));
        assertTrue(iat > upTo, "a token issued after the revocation has a later iat: " + iat + " > " + upTo);
        readsAccounts(tokenOf(username, "auditor", iat), 200);
    }

    @Test
    void introspectionCallsADisabledAccountsTokenInactive() {
        String username = newAccount("auditor", null);
        String issued = login(username, PASSWORD).then().statusCode(200).extract().path("access_token");
        String routing = "Basic " + java.util.Base64.getEncoder().encodeToString(
                "routing:routing-test-secret-0123456789".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        given().header("Authorization", routing).contentType("application/x-www-form-urlencoded").formParam("token", issued)
                .post("/oauth2/introspect").then().statusCode(200).body("active", equalTo(true)).body("sub", equalTo(username));
        given().auth().oauth2(TestJwt.operator()).post("/api/v1/admin/accounts/" + username + "/disable").then().statusCode(200);
        given().header("Authorization", routing).contentType("application/x-www-form-urlencoded").formParam("token", issued)
                .post("/oauth2/introspect").then().statusCode(200).body("active", equalTo(false));
    }

    @Test
    void logoutRevokesTheTokenPresentedAndNoOther() {
        String username = newAccount("auditor", null);
        String first = tokenOf(username, "auditor", now());
        String second = tokenOf(username, "auditor", now());
        given().auth().oauth2(first).post("/api/v1/admin/logout").then().statusCode(204);
        readsAccounts(first, 401);
        readsAccounts(second, 200);
        given().auth().oauth2(first).post("/api/v1/admin/logout").then().statusCode(401);
        given().post("/api/v1/admin/logout").then().statusCode(401);
        given().auth().oauth2(TestJwt.service("registry")).post("/api/v1/admin/logout").then().statusCode(403);
    }

    @Test
    void changingYourOwnPasswordNeedsTheCurrentOneAndRevokesEveryTokenOfTheAccount() {
        String username = newAccount("agency-admin", "000.00.00.H62");
        String token = TestJwt.claims(username, Set.of("agency-admin")).claim("agency", "000.00.00.H62").sign();
        String other = TestJwt.claims(username, Set.of("agency-admin")).claim("agency", "000.00.00.H62").sign();

        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("currentPassword", "not-the-password", "newPassword", "a-brand-new-password"))
                .post("/api/v1/admin/password").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("currentPassword")).body("errors[0].rule", equalTo("matches"));
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("currentPassword", PASSWORD, "newPassword", "short"))
                .post("/api/v1/admin/password").then().statusCode(400).body("errors.field", hasItem("newPassword"));
        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("currentPassword", PASSWORD, "newPassword", PASSWORD))
                .post("/api/v1/admin/password").then().statusCode(400)
                .body("errors[0].field", equalTo("newPassword")).body("errors[0].rule", equalTo("different"));
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/admin/password").then().statusCode(400)
                .body("errors.field", hasItem("currentPassword")).body("errors.field", hasItem("newPassword"));
        readsAccountsAsAgencyAdmin(token, 200);

        given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("currentPassword", PASSWORD, "newPassword", "a-brand-new-password"))
                .post("/api/v1/admin/password").then().statusCode(204);
        readsAccountsAsAgencyAdmin(token, 401);
        readsAccountsAsAgencyAdmin(other, 401);
        login(username, PASSWORD).then().statusCode(401);
        login(username, "a-brand-new-password").then().statusCode(200);
    }

    /** An agency admin may list credentials of its own agency: a read that proves the token still passes. */
    private static void readsAccountsAsAgencyAdmin(String token, int status) {
        given().auth().oauth2(token).get("/api/v1/credentials?size=1").then().statusCode(status);
    }

    @Test
    void anOperatorResetsAForgottenPasswordButNotItsOwn() {
        String username = newAccount("auditor", null);
        String token = tokenOf(username, "auditor", now());
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body(Map.of("newPassword", "short"))
                .post("/api/v1/admin/accounts/" + username + "/password").then().statusCode(400)
                .body("errors[0].field", equalTo("newPassword"));
        given().auth().oauth2(TestJwt.auditor()).contentType(ContentType.JSON).body(Map.of("newPassword", "reset-by-someone"))
                .post("/api/v1/admin/accounts/" + username + "/password").then().statusCode(403);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body(Map.of("newPassword", "reset-by-operator"))
                .post("/api/v1/admin/accounts/nobody-here/password").then().statusCode(404);
        String self = TestJwt.claims("operator", Set.of("operator")).sign();
        given().auth().oauth2(self).contentType(ContentType.JSON).body(Map.of("newPassword", "reset-by-operator"))
                .post("/api/v1/admin/accounts/operator/password").then().statusCode(409);

        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body(Map.of("newPassword", "reset-by-operator"))
                .post("/api/v1/admin/accounts/" + username + "/password").then().statusCode(204);
        readsAccounts(token, 401);
        login(username, PASSWORD).then().statusCode(401);
        login(username, "reset-by-operator").then().statusCode(200);
    }

    @Test
    void systemAndServiceTokensAreNotCaughtByAnAdminOfTheSameName() {
        String username = newAccount("auditor", null);
        given().auth().oauth2(TestJwt.operator()).post("/api/v1/admin/accounts/" + username + "/disable").then().statusCode(200);
        // a system token whose subject happens to equal the username: systems are revoked by credential, not by name
        String system = TestJwt.claims(username, Set.of("system")).claim("client_id", "ck_" + username)
                .claim("agency", "000.00.00.H62").claim("env", "test").sign();
        given().auth().oauth2(system).contentType(ContentType.JSON)
                .body(Map.of("method", "GET", "targetUri", "https://x.test/a", "headers", Map.of()))
                .post("/api/v1/signatures/verify").then().statusCode(200).body("valid", equalTo(false));
        assertEquals(200, given().auth().oauth2(TestJwt.service("registry")).get("/api/v1/feed/revocations").statusCode());
    }
}
