package vn.lgsp.auth.sso;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;
import vn.lgsp.auth.AuthFixtures;
import vn.lgsp.auth.AuthTestResource;
import vn.lgsp.auth.TestIdentityProvider;
import vn.lgsp.auth.TestIdentityProvider.Realm;
import vn.lgsp.common.audit.AuditEvent;
import vn.lgsp.common.audit.AuditPublisher;
import vn.lgsp.testing.TestJwt;

/**
 * Single sign-on of admins (REQUIREMENTS A7) through a real OpenID Connect provider on real HTTP: an operator links
 * a person at the provider to an account; the person's ID token is exchanged once (RFC 8693) for that account's
 * admin token; every malformed, foreign, stale or replayed token is refused with the RFC 6749 error that says why.
 */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class SingleSignOnTest {

    private static final String EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange";
    private static final String ID_TOKEN = "urn:ietf:params:oauth:token-type:id_token";
    private static final String AGENCY = "000.00.00.H62";

    @Inject
    AuditPublisher audit;

    private static Response exchange(Map<String, String> params) {
        return given().contentType("application/x-www-form-urlencoded").formParams(params).post("/oauth2/token");
    }

    private static Response exchange(String idToken) {
        return exchange(Map.of("grant_type", EXCHANGE, "subject_token", idToken, "subject_token_type", ID_TOKEN));
    }

    private static void refused(String idToken, String detail) {
        exchange(idToken).then().statusCode(400).contentType(ContentType.JSON).body("error", equalTo("invalid_grant"))
                .body("error_description", containsString(detail));
    }

    private static String ssoOnlyAccount(String role, String agency) {
        String username = "sso-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, String> body = new HashMap<>(Map.of("username", username, "role", role));
        if (agency != null) {
            body.put("agencyCode", agency);
        }
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body(body).post("/api/v1/admin/accounts")
                .then().statusCode(201).body("username", equalTo(username));
        return username;
    }

    private static ValidatableResponse link(String username, String provider, String subject) {
        return given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body(Map.of("subject", subject))
                .put("/api/v1/admin/accounts/" + username + "/identities/" + provider).then();
    }

    /** Whether auth still takes the token (RFC 7662, asked as the routing service). */
    private static void active(String token, boolean active) {
        given().auth().preemptive().basic("routing", "routing-test-secret-0123456789")
                .contentType("application/x-www-form-urlencoded").formParam("token", token).post("/oauth2/introspect")
                .then().statusCode(200).body("active", equalTo(active));
    }

    private List<AuditEvent> events(String action, String resourceId) {
        return audit.snapshot().stream().filter(e -> action.equals(e.action()) && resourceId.equals(e.resourceId())).toList();
    }

    @Test
    void aLinkedPersonSignsInOnceAsTheAccountWithItsRoleNeverTheProvidersClaims() throws Exception {
        String username = ssoOnlyAccount("agency-admin", AGENCY);
        String subject = "cb-" + UUID.randomUUID();
        // Not linked yet: the provider vouches for the person, but the platform does not know them.
        refused(TestIdentityProvider.PROVINCE.idToken(subject), "no platform account is linked to this identity");
        assertTrue(audit.snapshot().stream().anyMatch(e -> AuditEvent.AUTH_FAILURE.equals(e.type())
                && ("tinh:" + subject).equals(e.clientId()) && e.detail().contains("no platform account")),
                "the refusal is audited with who tried");

        link(username, "tinh", subject).statusCode(200).body("provider", equalTo("tinh")).body("subject", equalTo(subject))
                .body("username", equalTo(username)).body("linkedBy", equalTo("operator-1"));
        AuditEvent linked = events("link-identity", username).get(0);
        assertEquals(subject, linked.after().get("subject").asText());
        assertNull(linked.before());

        // The provider's claims ask for more; the account's role and agency are what the token carries.
        JwtClaims claims = TestIdentityProvider.PROVINCE.claims(subject);
        claims.setStringListClaim("groups", List.of("operator"));
        claims.setClaim("agency", "000.00.00.H01");
        String idToken = TestIdentityProvider.PROVINCE.sign(claims);
        String token = exchange(idToken).then().statusCode(200).header("Cache-Control", "no-store")
                .body("issued_token_type", equalTo("urn:ietf:params:oauth:token-type:access_token"))
                .body("token_type", equalTo("Bearer")).body("expires_in", equalTo(3600)).extract().path("access_token");
        JwtClaims issued = AuthFixtures.verify(token);
        assertEquals(username, issued.getSubject());
        assertEquals(List.of("agency-admin"), issued.getStringListClaimValue("groups"));
        assertEquals(AGENCY, issued.getClaimValue("agency"));
        assertTrue(events("login", username).stream().anyMatch(e -> "tinh".equals(e.after().get("provider").asText())),
                "the sign-in is audited");

        // The token is an admin token like any other (introspection: auth's own keys; the test services verify
        // with the test key, so it is not presented to the API here), and the link notes its use.
        active(token, true);
        given().auth().oauth2(TestJwt.operator()).get("/api/v1/admin/accounts/" + username + "/identities").then()
                .statusCode(200).body("[0].subject", equalTo(subject)).body("[0].lastUsedAt", notNullValue());
        // Each ID token is exchanged once: a copy replayed later is refused, also with its signature re-encoded (the
        // last base64url character's unused low bits flipped: the same signature bytes to a lenient decoder).
        refused(idToken, "already exchanged");
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char last = idToken.charAt(idToken.length() - 1);
        String reencoded = idToken.substring(0, idToken.length() - 1) + alphabet.charAt(alphabet.indexOf(last) ^ 1);
        exchange(reencoded).then().statusCode(400).body("error", equalTo("invalid_grant"));
        // An account without a password never signs in with one.
        given().contentType(ContentType.JSON).body(Map.of("username", username, "password", "any-password-at-all"))
                .post("/api/v1/admin/login").then().statusCode(401);
    }

    @Test
    void tokensThatAreNotTheProvidersValidIdTokensForUsAreRefusedSayingWhy() throws Exception {
        String username = ssoOnlyAccount("auditor", null);
        String subject = "kt-" + UUID.randomUUID();
        link(username, "tinh", subject).statusCode(200);
        Realm province = TestIdentityProvider.PROVINCE;

        JwtClaims foreignAudience = province.claims(subject);
        foreignAudience.setAudience("another-app");
        refused(province.sign(foreignAudience), "Audience");

        JwtClaims expired = province.claims(subject);
        expired.setIssuedAt(NumericDate.fromSeconds(NumericDate.now().getValue() - 600));
        expired.setExpirationTime(NumericDate.fromSeconds(NumericDate.now().getValue() - 300));
        refused(province.sign(expired), "no longer valid");

        JwtClaims stale = province.claims(subject); // unexpired, but issued longer ago than max-token-age (10 min)
        stale.setIssuedAt(NumericDate.fromSeconds(NumericDate.now().getValue() - 3600));
        stale.setExpirationTimeMinutesInTheFuture(60);
        refused(province.sign(stale), "second(s) in the past");

        JwtClaims noSubject = province.claims(subject);
        noSubject.unsetClaim("sub");
        refused(province.sign(noSubject), "sub claim is missing");

        // Signed with a key the provider never published, or with a shared secret instead of its key.
        refused(Realm.sign(province.claims(subject), TestIdentityProvider.newKey()), "not valid");
        JsonWebSignature hmac = new JsonWebSignature();
        hmac.setPayload(province.claims(subject).toJson());
        hmac.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        hmac.setKey(new HmacKey(new byte[32]));
        refused(hmac.getCompactSerialization(), "not valid");

        // Issued to another client among several audiences (azp), an access token instead of an ID token, unsigned.
        JwtClaims otherClient = province.claims(subject);
        otherClient.setClaim("azp", "another-app");
        refused(province.sign(otherClient), "not to this platform");
        refused(province.sign(province.claims(subject), "at+jwt"), "not an ID token");
        JsonWebSignature none = new JsonWebSignature();
        none.setPayload(province.claims(subject).toJson());
        none.setAlgorithmHeaderValue(AlgorithmIdentifiers.NONE);
        none.setAlgorithmConstraints(org.jose4j.jwa.AlgorithmConstraints.NO_CONSTRAINTS);
        refused(none.getCompactSerialization(), "not valid");

        // Another issuer, or no JWT at all.
        JwtClaims elsewhere = province.claims(subject);
        elsewhere.setIssuer("https://sso.example.org/realms/other");
        refused(province.sign(elsewhere), "not from an identity provider this platform trusts");
        refused("not-a-jwt", "not a signed JWT");
        refused(TestJwt.operator(), "not from an identity provider this platform trusts");

        // What was refused is nothing to replay: the good token still works afterwards.
        exchange(province.idToken(subject)).then().statusCode(200);
    }

    @Test
    void requestsThatAreNotAWellFormedExchangeAreInvalidRequests() {
        String idToken = TestIdentityProvider.PROVINCE.idToken("x-" + UUID.randomUUID());
        Map<String, String> base = Map.of("grant_type", EXCHANGE, "subject_token", idToken, "subject_token_type", ID_TOKEN);
        String[][] cases = {
                { "subject_token", null, "invalid_request", "'subject_token' is required" },
                { "subject_token_type", null, "invalid_request", "'subject_token_type' is required" },
                { "subject_token_type", "urn:ietf:params:oauth:token-type:saml2", "invalid_request", "subject_token_type must be" },
                { "requested_token_type", "urn:ietf:params:oauth:token-type:refresh_token", "invalid_request", "requested_token_type" },
                { "actor_token", "abc", "invalid_request", "actor_token" },
                { "scope", "dan-cu:v1", "invalid_scope", "no scope" },
                { "audience", "routing", "invalid_target", "whole platform" },
                { "resource", "https://lgsp.example/", "invalid_target", "whole platform" },
                { "client_secret", "s3cret", "invalid_request", "client_secret was sent without client_id" }, };
        for (String[] c : cases) {
            Map<String, String> params = new HashMap<>(base);
            if (c[1] == null) {
                params.remove(c[0]);
            } else {
                params.put(c[0], c[1]);
            }
            exchange(params).then().statusCode(400).body("error", equalTo(c[2])).body("error_description",
                    containsString(c[3]));
        }
        Map<String, String> withSecret = new HashMap<>(base);
        withSecret.put("client_id", "admin-portal");
        withSecret.put("client_secret", "s3cret");
        exchange(withSecret).then().statusCode(400).body("error", equalTo("invalid_request"))
                .body("error_description", containsString("no client secret"));
        given().get("/.well-known/oauth-authorization-server").then().statusCode(200)
                .body("grant_types_supported", hasItem(EXCHANGE));
    }

    @Test
    void aProviderRotatingItsKeyIsFollowedAndOneDownIsA503() {
        Realm national = TestIdentityProvider.NATIONAL;
        String username = ssoOnlyAccount("operator", null);
        // vneid names people by preferred_username (configured), found at its configured JWKS address
        link(username, "vneid", "u-cccd-079201001234").statusCode(200);
        exchange(national.idToken("cccd-079201001234")).then().statusCode(200);
        int fetches = national.jwksFetches();
        national.rotate();
        exchange(national.idToken("cccd-079201001234")).then().statusCode(200);
        assertTrue(national.jwksFetches() > fetches, "the new key id made the platform fetch the keys again");

        national.down(true);
        try {
            national.rotate(); // a key it cannot fetch while the provider is down
            exchange(national.idToken("cccd-079201001234")).then().statusCode(503)
                    .body("error", equalTo("temporarily_unavailable")).header("Retry-After", notNullValue());
        } finally {
            national.down(false);
        }
        // A provider never reachable: its discovery fails, a 503 rather than a refusal of the person.
        JwtClaims offline = national.claims("x");
        offline.setIssuer("http://127.0.0.1:1/offline");
        exchange(national.sign(offline)).then().statusCode(503).body("error", equalTo("temporarily_unavailable"));
    }

    @Test
    void onlyOperatorsLinkAndMovingOrRemovingALinkEndsTheSessions() throws Exception {
        String username = ssoOnlyAccount("agency-admin", AGENCY);
        String other = ssoOnlyAccount("auditor", null);
        String subject = "ln-" + UUID.randomUUID();
        given().auth().oauth2(TestJwt.operator()).get("/api/v1/admin/identity-providers").then().statusCode(200)
                .body("name", equalTo(List.of("offline", "tinh", "vneid")))
                .body("find { it.name == 'tinh' }.issuer", equalTo(TestIdentityProvider.PROVINCE.issuer()));

        // Nobody links their own account: a stolen operator token must not become a lasting way in.
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body(Map.of("subject", "me"))
                .put("/api/v1/admin/accounts/operator-1/identities/tinh").then().statusCode(403)
                .body("detail", containsString("own account"));
        link(username, "tinh", subject).statusCode(200);
        link(other, "tinh", subject).statusCode(409).contentType("application/problem+json")
                .body("errors[0].field", equalTo("subject"));
        link(username, "google", subject).statusCode(400).body("errors[0].field", equalTo("provider"))
                .body("errors[0].rule", equalTo("configured"));
        link("nobody-" + UUID.randomUUID().toString().substring(0, 6), "tinh", "s").statusCode(404);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body(Map.of("subject", ""))
                .put("/api/v1/admin/accounts/" + username + "/identities/tinh").then().statusCode(400)
                .body("errors[0].field", containsString("subject"));
        given().auth().oauth2(TestJwt.agencyAdmin(AGENCY)).contentType(ContentType.JSON).body(Map.of("subject", "me"))
                .put("/api/v1/admin/accounts/" + username + "/identities/tinh").then().statusCode(403);
        given().auth().oauth2(TestJwt.agencyAdmin(AGENCY)).get("/api/v1/admin/accounts/" + other + "/identities").then()
                .statusCode(403);
        given().auth().oauth2(TestJwt.auditor()).get("/api/v1/admin/accounts/" + username + "/identities").then()
                .statusCode(200).body("[0].subject", equalTo(subject));

        String first = exchange(TestIdentityProvider.PROVINCE.idToken(subject)).then().statusCode(200).extract()
                .path("access_token");
        active(first, true);

        // Re-linked to another person: the sessions of the account end, and the first person is out.
        String next = "ln2-" + UUID.randomUUID();
        link(username, "tinh", next).statusCode(200).body("subject", equalTo(next));
        active(first, false);
        refused(TestIdentityProvider.PROVINCE.idToken(subject), "no platform account is linked");
        AuditEvent moved = events("link-identity", username).stream().filter(e -> e.before() != null).findFirst().orElseThrow();
        assertEquals(subject, moved.before().get("subject").asText());
        assertEquals(next, moved.after().get("subject").asText());

        // Unlinked: 204, audited, the person can no longer sign in, the account's tokens are revoked.
        Thread.sleep(1100); // past the second of the re-link's revocation, so the next token is not caught by it
        String second = exchange(TestIdentityProvider.PROVINCE.idToken(next)).then().statusCode(200).extract()
                .path("access_token");
        active(second, true);
        given().auth().oauth2(TestJwt.operator()).delete("/api/v1/admin/accounts/" + username + "/identities/tinh").then()
                .statusCode(204);
        given().auth().oauth2(TestJwt.operator()).delete("/api/v1/admin/accounts/" + username + "/identities/tinh").then()
                .statusCode(404);
        refused(TestIdentityProvider.PROVINCE.idToken(next), "no platform account is linked");
        active(second, false);
        AuditEvent unlinked = events("unlink-identity", username).get(0);
        assertEquals(next, unlinked.before().get("subject").asText());
        assertNull(unlinked.after());

        // A disabled account cannot be signed into, linked or not.
        link(username, "tinh", next).statusCode(200);
        given().auth().oauth2(TestJwt.operator()).post("/api/v1/admin/accounts/" + username + "/disable").then()
                .statusCode(200);
        refused(TestIdentityProvider.PROVINCE.idToken(next), "disabled");
    }

    @Test
    void operatorsRelinkingOneAccountAtOnceEachReplaceWhatTheOtherLeft() throws Exception {
        String username = ssoOnlyAccount("auditor", null);
        String start = "race-0-" + UUID.randomUUID();
        link(username, "tinh", start).statusCode(200);
        List<String> subjects = new java.util.ArrayList<>();
        for (int i = 1; i <= 6; i++) {
            subjects.add("race-" + i + "-" + UUID.randomUUID());
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(subjects.size());
        try {
            List<java.util.concurrent.Future<Integer>> done = new java.util.ArrayList<>();
            for (String subject : subjects) {
                done.add(pool.submit(() -> link(username, "tinh", subject).extract().statusCode()));
            }
            for (java.util.concurrent.Future<Integer> f : done) {
                assertEquals(200, f.get());
            }
        } finally {
            pool.shutdown();
        }
        String last = given().auth().oauth2(TestJwt.auditor()).get("/api/v1/admin/accounts/" + username + "/identities")
                .then().statusCode(200).extract().path("[0].subject");
        // Serialised on the account: every change replaced a different subject, so each one's sessions were ended.
        List<String> replaced = events("link-identity", username).stream().filter(e -> e.before() != null)
                .map(e -> e.before().get("subject").asText()).sorted().toList();
        List<String> expected = new java.util.ArrayList<>(subjects);
        expected.add(start);
        expected.remove(last);
        java.util.Collections.sort(expected);
        assertEquals(expected, replaced);
    }
}
