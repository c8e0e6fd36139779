package vn.lgsp.auth.oauth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vn.lgsp.auth.AuthFixtures.basic;
import static vn.lgsp.auth.AuthFixtures.createCredential;
import static vn.lgsp.auth.AuthFixtures.newSystem;
import static vn.lgsp.auth.AuthFixtures.token;
import static vn.lgsp.auth.AuthFixtures.verify;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;
import vn.lgsp.auth.AuthFixtures;
import vn.lgsp.auth.AuthTestResource;
import vn.lgsp.common.audit.AuditEvent;
import vn.lgsp.common.audit.AuditPublisher;
import vn.lgsp.testing.TestJwt;

@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class TokenEndpointTest {

    private static final String FORM = "application/x-www-form-urlencoded";

    @Inject
    AuditPublisher audit;

    @Test
    void systemTokenCarriesTheDocumentedClaimsAndVerifiesAgainstTheJwks() throws Exception {
        String system = newSystem("HTTT-TOKEN");
        JsonPath cred = createCredential(system, "production", "client_secret");
        String clientId = cred.getString("clientId");
        String secret = cred.getString("clientSecret");

        io.restassured.response.Response r = token(clientId, secret);
        r.then().statusCode(200).contentType(ContentType.JSON)
                .header("Cache-Control", "no-store").header("Pragma", "no-cache")
                .body("token_type", equalTo("Bearer"))
                .body("expires_in", equalTo(3600))
                .body("scope", equalTo("dan-cu:v1 dat-dai:v2"));
        JwtClaims claims = verify(r.path("access_token"));
        assertEquals(system, claims.getSubject());
        assertEquals(List.of("system"), claims.getStringListClaimValue("groups"));
        assertEquals(clientId, claims.getStringClaimValue("client_id"));
        assertEquals(AuthFixtures.AGENCY, claims.getStringClaimValue("agency"));
        assertEquals("production", claims.getStringClaimValue("env"));
        assertEquals("dan-cu:v1 dat-dai:v2", claims.getStringClaimValue("scope"));
        assertEquals(3600, claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue());
        assertTrue(claims.getJwtId().length() >= 32);
        // Catalog was asked with auth's own service token.
        assertTrue(AuthTestResource.lastCatalogAuthorization.startsWith("Bearer "));
        JwtClaims svc = verify(AuthTestResource.lastCatalogAuthorization.substring(7));
        assertEquals("service:auth", svc.getSubject());
    }

    @Test
    void clientSecretPostWorksAndScopeCanBeNarrowedButNotWidened() {
        JsonPath cred = createCredential(newSystem("HTTT-POST"), "production", "client_secret");
        given().contentType(FORM).formParam("grant_type", "client_credentials")
                .formParam("client_id", cred.getString("clientId")).formParam("client_secret", cred.getString("clientSecret"))
                .formParam("scope", "dan-cu:v1")
                .post("/oauth2/token").then().statusCode(200).body("scope", equalTo("dan-cu:v1"));
        given().contentType(FORM).formParam("grant_type", "client_credentials")
                .formParam("client_id", cred.getString("clientId")).formParam("client_secret", cred.getString("clientSecret"))
                .formParam("scope", "dan-cu:v1 thue:v1")
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_scope"));
    }

    @Test
    void testEnvironmentCredentialGetsTestSubscriptions() {
        JsonPath cred = createCredential(newSystem("HTTT-TESTENV"), "test", "client_secret");
        token(cred.getString("clientId"), cred.getString("clientSecret")).then().statusCode(200).body("scope", equalTo("ho-tich:v1"));
    }

    @Test
    void platformServiceClientsGetShortServiceTokens() throws Exception {
        io.restassured.response.Response r = token("routing", "routing-test-secret-0123456789");
        r.then().statusCode(200).body("expires_in", equalTo(900)).body("scope", nullValue());
        JwtClaims claims = verify(r.path("access_token"));
        assertEquals("service:routing", claims.getSubject());
        assertEquals(List.of("service"), claims.getStringListClaimValue("groups"));
        token("routing", "routing-test-secret-wrong").then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    @Test
    void wrongSecretAndUnknownClientAreTheSameInvalidClient() {
        JsonPath cred = createCredential(newSystem("HTTT-WRONG"), "production", "client_secret");
        String secret = cred.getString("clientSecret");
        token(cred.getString("clientId"), secret + "x").then().statusCode(401)
                .header("WWW-Authenticate", "Basic realm=\"lgsp\"")
                .header("Cache-Control", "no-store")
                .body("error", equalTo("invalid_client"))
                .body("error_description", equalTo("Client authentication failed"));
        token("ck_doesnotexist", secret).then().statusCode(401)
                .body("error", equalTo("invalid_client"))
                .body("error_description", equalTo("Client authentication failed"));
        // Body authentication: 401 without a Basic challenge.
        given().contentType(FORM).formParam("grant_type", "client_credentials")
                .formParam("client_id", cred.getString("clientId")).formParam("client_secret", "nope")
                .post("/oauth2/token").then().statusCode(401).header("WWW-Authenticate", nullValue())
                .body("error", equalTo("invalid_client"));

        List<AuditEvent> failures = audit.snapshot().stream()
                .filter(e -> AuditEvent.AUTH_FAILURE.equals(e.type()) && cred.getString("clientId").equals(e.clientId())).toList();
        assertEquals(2, failures.size());
        assertTrue(failures.get(0).detail().contains("wrong client secret"));
        assertEquals("auth", failures.get(0).source());
        for (AuditEvent e : audit.snapshot()) {
            assertFalse(String.valueOf(e).contains(secret), "an audit event carries the secret");
        }
        assertTrue(audit.snapshot().stream().anyMatch(e -> "ck_doesnotexist".equals(e.clientId())
                && e.detail().contains("unknown client id")));
    }

    @Test
    void revokedAndExpiredCredentialsCannotGetTokens() throws Exception {
        String system = newSystem("HTTT-REVOKED");
        JsonPath cred = createCredential(system, "production", "client_secret");
        token(cred.getString("clientId"), cred.getString("clientSecret")).then().statusCode(200);
        given().auth().oauth2(TestJwt.operator()).post("/api/v1/credentials/" + cred.getString("id") + "/revoke")
                .then().statusCode(200).body("status", equalTo("revoked"));
        token(cred.getString("clientId"), cred.getString("clientSecret")).then().statusCode(401).body("error", equalTo("invalid_client"));

        JsonPath expiring = given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("""
                        {"systemCode":"%s","agencyCode":"000.00.00.H62","environment":"production","kind":"client_secret",
                         "expiresAt":"%s"}""".formatted(system, Instant.now().plusSeconds(2)))
                .post("/api/v1/credentials").then().statusCode(201).extract().jsonPath();
        // A token never outlives its credential.
        int expiresIn = token(expiring.getString("clientId"), expiring.getString("clientSecret"))
                .then().statusCode(200).extract().path("expires_in");
        assertTrue(expiresIn <= 2, "expires_in " + expiresIn);
        Thread.sleep(2200);
        token(expiring.getString("clientId"), expiring.getString("clientSecret")).then().statusCode(401)
                .body("error", equalTo("invalid_client"));
    }

    @Test
    void hmacCredentialsMayNotUseTheTokenEndpoint() {
        JsonPath cred = createCredential(newSystem("HTTT-HMAC"), "production", "hmac");
        token(cred.getString("accessKey"), cred.getString("secretKey")).then().statusCode(400)
                .body("error", equalTo("unauthorized_client"));
    }

    @Test
    void malformedRequestsAreInvalidRequestOrUnsupportedGrant() {
        JsonPath cred = createCredential(newSystem("HTTT-BAD"), "production", "client_secret");
        String id = cred.getString("clientId");
        String secret = cred.getString("clientSecret");
        given().header("Authorization", basic(id, secret)).contentType(FORM).formParam("grant_type", "password")
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("unsupported_grant_type"));
        given().header("Authorization", basic(id, secret)).contentType(FORM).formParam("scope", "x")
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_request"))
                .body("error_description", equalTo("Parameter 'grant_type' is required"));
        given().header("Authorization", basic(id, secret)).contentType(ContentType.JSON).body("{\"grant_type\":\"client_credentials\"}")
                .post("/oauth2/token").then().statusCode(400).contentType(ContentType.JSON).body("error", equalTo("invalid_request"));
        given().header("Authorization", basic(id, secret)).contentType(FORM)
                .body("grant_type=client_credentials&grant_type=client_credentials")
                .post("/oauth2/token").then().statusCode(400).body("error_description", equalTo("Parameter 'grant_type' is repeated"));
        // Both Basic and a body secret: one method only (§2.3.1).
        given().header("Authorization", basic(id, secret)).contentType(FORM).formParam("grant_type", "client_credentials")
                .formParam("client_id", id).formParam("client_secret", secret)
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_request"));
        // Malformed Basic: not base64, no colon.
        given().header("Authorization", "Basic !!!notbase64").contentType(FORM).formParam("grant_type", "client_credentials")
                .post("/oauth2/token").then().statusCode(401).body("error", equalTo("invalid_client"))
                .header("WWW-Authenticate", "Basic realm=\"lgsp\"");
        given().header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("nocolon".getBytes()))
                .contentType(FORM).formParam("grant_type", "client_credentials")
                .post("/oauth2/token").then().statusCode(401).body("error", equalTo("invalid_client"));
        // No client authentication at all.
        given().contentType(FORM).formParam("grant_type", "client_credentials")
                .post("/oauth2/token").then().statusCode(401).body("error", equalTo("invalid_client"));
        given().contentType(FORM).formParam("grant_type", "client_credentials").formParam("client_secret", secret)
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_request"));
        // A bad percent-escape in the body.
        given().header("Authorization", basic(id, secret)).contentType(FORM).body("grant_type=%zz")
                .post("/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_request"));
        // The credential still works: none of the above counted as its failures except none had its wrong secret.
        token(id, secret).then().statusCode(200).body("access_token", notNullValue());
    }

    @Test
    void catalogFailureMeansNoToken() {
        JsonPath cred = createCredential("CATALOG-DOWN", "production", "client_secret");
        token(cred.getString("clientId"), cred.getString("clientSecret")).then().statusCode(503)
                .body("error", equalTo("temporarily_unavailable"));
    }

    @Test
    void repeatedFailuresOfOneClientAreThrottledEvenWithTheRightSecret() {
        JsonPath cred = createCredential(newSystem("HTTT-BRUTE"), "production", "client_secret");
        String id = cred.getString("clientId");
        for (int i = 0; i < 5; i++) {
            token(id, "guess-" + i).then().statusCode(401);
        }
        token(id, cred.getString("clientSecret")).then().statusCode(429)
                .header("Retry-After", notNullValue())
                .body("error", equalTo("slow_down"));
        assertTrue(audit.snapshot().stream().anyMatch(e -> id.equals(e.clientId()) && "slow_down".equals(e.errorType())));
    }
}
