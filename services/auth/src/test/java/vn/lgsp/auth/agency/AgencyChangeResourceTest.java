package vn.lgsp.auth.agency;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vn.lgsp.auth.AuthFixtures.AGENCY;
import static vn.lgsp.auth.AuthFixtures.accessToken;
import static vn.lgsp.auth.AuthFixtures.basic;
import static vn.lgsp.auth.AuthFixtures.createCredential;
import static vn.lgsp.auth.AuthFixtures.newSystem;
import static vn.lgsp.auth.AuthFixtures.verify;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import vn.lgsp.auth.AuthTestResource;
import vn.lgsp.common.audit.AuditEvent;
import vn.lgsp.common.audit.AuditPublisher;
import vn.lgsp.common.httpsig.HttpSignatures;
import vn.lgsp.common.httpsig.SignedMessage;
import vn.lgsp.testing.TestJwt;

@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class AgencyChangeResourceTest {

    static final String REGISTRY = TestJwt.service("registry");
    static final String ROUTING = TestJwt.service("routing");

    @Inject
    AuditPublisher audit;

    /** A code no other test uses: re-coding the shared fixture agency would move other tests' credentials. */
    static String freshAgency() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        return "%03d.%02d.%02d.Z%02d".formatted(r.nextInt(1000), r.nextInt(100), r.nextInt(100), r.nextInt(100));
    }

    static Response moveSystem(String token, String systemCode, String body) {
        var req = given().contentType(ContentType.JSON).body(body);
        if (token != null) {
            req = req.auth().oauth2(token);
        }
        return req.put("/api/v1/systems/" + systemCode + "/agency");
    }

    static Response moveSystem(String systemCode, String agencyCode) {
        return moveSystem(REGISTRY, systemCode, "{\"agencyCode\":\"" + agencyCode + "\"}");
    }

    static Response recode(String token, String oldCode, String newCode) {
        var req = given().contentType(ContentType.JSON).body("{\"newCode\":\"" + newCode + "\"}");
        if (token != null) {
            req = req.auth().oauth2(token);
        }
        return req.put("/api/v1/agencies/" + oldCode + "/code");
    }

    static List<String> agenciesOf(String systemCode) {
        return given().auth().oauth2(TestJwt.operator()).queryParam("systemCode", systemCode).get("/api/v1/credentials")
                .then().statusCode(200).extract().jsonPath().getList("items.agencyCode");
    }

    List<AuditEvent> events(String action, String resourceId) {
        return audit.snapshot().stream().filter(e -> action.equals(e.action()) && resourceId.equals(e.resourceId())).toList();
    }

    @Test
    void everyCredentialOfTheSystemMovesOnceAndTheSecondCallChangesNothing() {
        String system = newSystem("HTTT-MOVE");
        String target = freshAgency();
        createCredential(system, "production", "client_secret");
        createCredential(system, "test", "hmac");
        String revokedId = createCredential(system, "test", "client_secret").getString("id");
        given().auth().oauth2(TestJwt.operator()).post("/api/v1/credentials/" + revokedId + "/revoke").then().statusCode(200);
        JsonPath bystander = createCredential(newSystem("HTTT-STAY"), "production", "client_secret");

        moveSystem(system, target).then().statusCode(200).contentType(ContentType.JSON)
                .body("systemCode", equalTo(system)).body("agencyCode", equalTo(target)).body("credentialsUpdated", equalTo(3));
        assertEquals(List.of(target, target, target), agenciesOf(system));
        given().auth().oauth2(TestJwt.operator()).get("/api/v1/credentials/" + revokedId).then()
                .body("status", equalTo("revoked")).body("agencyCode", equalTo(target));
        given().auth().oauth2(TestJwt.operator()).get("/api/v1/credentials/" + bystander.getString("id")).then()
                .body("agencyCode", equalTo(AGENCY));

        List<AuditEvent> recorded = events("credential.agency-change", system);
        assertEquals(1, recorded.size());
        AuditEvent e = recorded.get(0);
        assertEquals("service:registry", e.actor());
        assertEquals("system", e.resourceType());
        assertEquals(target, e.agencyCode());
        assertEquals(AGENCY, e.before().get("agencyCode").asText());
        assertEquals(target, e.after().get("agencyCode").asText());

        moveSystem(system, target).then().statusCode(200).body("credentialsUpdated", equalTo(0));
        assertEquals(1, events("credential.agency-change", system).size(), "nothing changed, nothing audited");

        // Moving back is a change again.
        moveSystem(system, AGENCY).then().statusCode(200).body("credentialsUpdated", equalTo(3));
        assertEquals(List.of(AGENCY, AGENCY, AGENCY), agenciesOf(system));
    }

    @Test
    void aSystemWithoutCredentialsIsNotAnError() {
        String system = newSystem("HTTT-NONE");
        moveSystem(system, freshAgency()).then().statusCode(200).body("systemCode", equalTo(system))
                .body("credentialsUpdated", equalTo(0));
        assertTrue(events("credential.agency-change", system).isEmpty());
    }

    @Test
    void tokensIssuedAfterTheMoveCarryTheNewAgency() throws Exception {
        String system = newSystem("HTTT-CLAIM");
        String target = freshAgency();
        JsonPath cred = createCredential(system, "production", "client_secret");
        String before = accessToken(cred.getString("clientId"), cred.getString("clientSecret"));
        assertEquals(AGENCY, verify(before).getStringClaimValue("agency"));

        moveSystem(system, target).then().statusCode(200).body("credentialsUpdated", equalTo(1));

        String after = accessToken(cred.getString("clientId"), cred.getString("clientSecret"));
        assertEquals(target, verify(after).getStringClaimValue("agency"));
        // Not revoked: the earlier token stays active with its old claim until it expires.
        given().header("Authorization", basic("routing", "routing-test-secret-0123456789"))
                .contentType("application/x-www-form-urlencoded").formParam("token", before).post("/oauth2/introspect")
                .then().statusCode(200).body("active", equalTo(true)).body("agency", equalTo(AGENCY));
    }

    @Test
    void theHmacFeedMovesToANewRevisionNamingTheNewAgency() {
        String system = newSystem("HTTT-FEEDMOVE");
        String target = freshAgency();
        String ak = createCredential(system, "production", "hmac").getString("accessKey");
        String query = "keys.find { it.accessKey == '" + ak + "' }.agencyCode";

        Response first = given().auth().oauth2(ROUTING).get("/api/v1/feed/hmac-keys");
        first.then().statusCode(200).body(query, equalTo(AGENCY));
        String etag = first.header("ETag");
        given().auth().oauth2(ROUTING).header("If-None-Match", etag).get("/api/v1/feed/hmac-keys").then().statusCode(304);

        moveSystem(system, target).then().statusCode(200).body("credentialsUpdated", equalTo(1));

        Response moved = given().auth().oauth2(ROUTING).header("If-None-Match", etag).get("/api/v1/feed/hmac-keys");
        moved.then().statusCode(200).body(query, equalTo(target));
        assertTrue(moved.jsonPath().getLong("revision") > first.jsonPath().getLong("revision"), "the revision moves on");
    }

    @Test
    void signatureChecksNameTheNewAgencyAtOnce() {
        String system = newSystem("HTTT-SIGMOVE");
        String target = freshAgency();
        JsonPath cred = createCredential(system, "production", "hmac");
        String url = "https://provider.example.gov.vn/api/ho-tich/v1/records";
        // The first check caches the key (with its agency) on this replica.
        verifySigned(url, cred).then().statusCode(200).body("valid", equalTo(true)).body("agencyCode", equalTo(AGENCY));
        moveSystem(system, target).then().statusCode(200);
        verifySigned(url, cred).then().statusCode(200).body("valid", equalTo(true)).body("agencyCode", equalTo(target));
    }

    static Response verifySigned(String url, JsonPath cred) {
        URI uri = URI.create(url);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Host", List.of(uri.getRawAuthority()));
        SignedMessage m = SignedMessage.of("GET", uri.getScheme(), uri.getRawAuthority(), uri.getRawPath(), uri.getRawQuery(), headers);
        HttpSignatures.sign(m, "sig1", HttpSignatures.defaultComponents(false), cred.getString("accessKey"),
                HttpSignatures.keyBytes(cred.getString("secretKey")), Instant.now().getEpochSecond(), UUID.randomUUID().toString())
                .forEach((k, v) -> headers.put(k, List.of(v)));
        return given().auth().oauth2(ROUTING).contentType(ContentType.JSON)
                .body(Map.of("method", "GET", "targetUri", url, "headers", headers)).post("/api/v1/signatures/verify");
    }

    @Test
    void aReissuedAgencyCodeMovesItsAdminsAndCredentials() throws Exception {
        String oldCode = freshAgency();
        String newCode = freshAgency();
        String username = "admin-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"username\":\"" + username + "\",\"password\":\"long-enough-pass\",\"role\":\"agency-admin\",\"agencyCode\":\"" + oldCode + "\"}")
                .post("/api/v1/admin/accounts").then().statusCode(201);
        String system = newSystem("HTTT-RECODE");
        createCredential(system, oldCode, "production", "client_secret");
        createCredential(system, oldCode, "test", "hmac");
        String bystander = newSystem("HTTT-OTHER");
        createCredential(bystander, "production", "client_secret");

        recode(REGISTRY, oldCode, newCode).then().statusCode(200).contentType(ContentType.JSON)
                .body("oldCode", equalTo(oldCode)).body("newCode", equalTo(newCode))
                .body("accountsUpdated", equalTo(1)).body("credentialsUpdated", equalTo(2));

        String token = given().contentType(ContentType.JSON)
                .body("{\"username\":\"" + username + "\",\"password\":\"long-enough-pass\"}").post("/api/v1/admin/login")
                .then().statusCode(200).extract().path("access_token");
        assertEquals(newCode, verify(token).getStringClaimValue("agency"));
        // With such a token the admin still sees its agency's credentials (in tests the API trusts TestJwt's key, not auth's).
        given().auth().oauth2(TestJwt.agencyAdmin(newCode)).get("/api/v1/credentials").then().statusCode(200)
                .body("items", hasSize(2)).body("items.systemCode", everyItem(equalTo(system)))
                .body("items.agencyCode", everyItem(equalTo(newCode)));
        assertEquals(List.of(AGENCY), agenciesOf(bystander));

        List<AuditEvent> recorded = events("account.agency-code-change", oldCode);
        assertEquals(1, recorded.size());
        AuditEvent e = recorded.get(0);
        assertEquals("service:registry", e.actor());
        assertEquals(oldCode, e.before().get("agencyCode").asText());
        assertEquals(newCode, e.after().get("agencyCode").asText());
        assertEquals(username, e.after().get("accounts").get(0).asText());
        assertEquals(1, events("credential.agency-change", system).size(), "the credentials' move is audited per system");

        recode(REGISTRY, oldCode, newCode).then().statusCode(200).body("accountsUpdated", equalTo(0))
                .body("credentialsUpdated", equalTo(0));
        assertEquals(1, events("account.agency-code-change", oldCode).size(), "nothing changed, nothing audited");
    }

    static Response endAgency(String token, String code, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).put("/api/v1/agencies/" + code + "/status");
    }

    private static String createAdmin(String agency) {
        String username = "admin-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"username\":\"" + username + "\",\"password\":\"long-enough-pass\",\"role\":\"agency-admin\",\"agencyCode\":\"" + agency + "\"}")
                .post("/api/v1/admin/accounts").then().statusCode(201);
        return username;
    }

    private static int login(String username) {
        return given().contentType(ContentType.JSON).body("{\"username\":\"" + username + "\",\"password\":\"long-enough-pass\"}")
                .post("/api/v1/admin/login").then().extract().statusCode();
    }

    @Test
    void anEndedAgencysAdminsAreDisabledOnceAndAudited() {
        String ended = freshAgency();
        String other = freshAgency();
        String first = createAdmin(ended);
        String second = createAdmin(ended);
        String elsewhere = createAdmin(other);
        assertEquals(200, login(first));

        endAgency(ROUTING, ended, "{\"status\":\"ended\"}").then().statusCode(403).contentType("application/problem+json");
        endAgency(ROUTING, "H62", "{\"status\":\"active\"}").then().statusCode(403);
        endAgency(REGISTRY, ended, "{\"status\":\"active\"}").then().statusCode(400)
                .body("errors[0].field", equalTo("status")).body("errors[0].rule", equalTo("pattern"));
        endAgency(REGISTRY, "H62", "{\"status\":\"ended\"}").then().statusCode(400).body("errors[0].field", equalTo("code"));
        assertEquals(200, login(first), "refused calls change nothing");

        endAgency(REGISTRY, ended, "{\"status\":\"ended\"}").then().statusCode(200).body("agencyCode", equalTo(ended))
                .body("accountsDisabled", equalTo(List.of(first, second).stream().sorted().toList()));
        assertEquals(401, login(first));
        assertEquals(401, login(second));
        assertEquals(200, login(elsewhere), "another agency's admin is untouched");
        List<AuditEvent> disabled = audit.snapshot().stream()
                .filter(e -> "disable".equals(e.action()) && first.equals(e.resourceId())).toList();
        assertEquals(1, disabled.size());
        assertEquals("service:registry", disabled.get(0).actor());
        assertTrue(disabled.get(0).after().toString().contains("agency " + ended + " ended"));

        endAgency(REGISTRY, ended, "{\"status\":\"ended\"}").then().statusCode(200).body("accountsDisabled", hasSize(0));
    }

    @Test
    void theOrderOfTheTwoMessagesDoesNotMatter() {
        String oldCode = freshAgency();
        String newCode = freshAgency();
        String system = newSystem("HTTT-ORDER");
        createCredential(system, oldCode, "production", "client_secret");

        // The system's move arrives first; the agency's re-coding finds nothing left to change for it.
        moveSystem(system, newCode).then().statusCode(200).body("credentialsUpdated", equalTo(1));
        recode(REGISTRY, oldCode, newCode).then().statusCode(200).body("credentialsUpdated", equalTo(0));
        assertEquals(List.of(newCode), agenciesOf(system));
    }

    @Test
    void onlyRegistryMayReportAgencyChanges() {
        String system = newSystem("HTTT-GUARD");
        createCredential(system, "production", "client_secret");
        String body = "{\"agencyCode\":\"" + freshAgency() + "\"}";
        String oldCode = freshAgency();

        moveSystem(null, system, body).then().statusCode(401).contentType("application/problem+json");
        moveSystem(TestJwt.operator(), system, body).then().statusCode(403).contentType("application/problem+json");
        moveSystem(TestJwt.agencyAdmin(AGENCY), system, body).then().statusCode(403);
        moveSystem(TestJwt.system(system, AGENCY, "production"), system, body).then().statusCode(403);
        moveSystem(ROUTING, system, body).then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("urn:lgsp:problem:forbidden"));
        moveSystem(TestJwt.service("catalog"), system, body).then().statusCode(403);
        assertEquals(List.of(AGENCY), agenciesOf(system), "a refused call changes nothing");

        recode(null, oldCode, freshAgency()).then().statusCode(401).contentType("application/problem+json");
        recode(TestJwt.operator(), oldCode, freshAgency()).then().statusCode(403).contentType("application/problem+json");
        recode(ROUTING, oldCode, freshAgency()).then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("urn:lgsp:problem:forbidden"));

        // the caller is checked before the input: another service learns nothing from validation errors
        moveSystem(ROUTING, system, "{\"agencyCode\":\"H62\"}").then().statusCode(403);
        moveSystem(ROUTING, "-bad!code", "{}").then().statusCode(403);
        recode(ROUTING, "H62", "K01").then().statusCode(403);
    }

    @Test
    void badInputNamesTheFieldAndTheRule() {
        String system = newSystem("HTTT-BAD");
        moveSystem(REGISTRY, system, "{\"agencyCode\":\"H62\"}").then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:lgsp:problem:validation-failed"))
                .body("errors", hasSize(1)).body("errors[0].field", equalTo("agencyCode")).body("errors[0].rule", equalTo("pattern"));
        moveSystem(REGISTRY, system, "{}").then().statusCode(400)
                .body("errors[0].field", equalTo("agencyCode")).body("errors[0].rule", equalTo("notNull"));
        moveSystem(REGISTRY, "-bad!code", "{\"agencyCode\":\"" + AGENCY + "\"}").then().statusCode(400)
                .body("errors[0].field", equalTo("systemCode")).body("errors[0].rule", equalTo("pattern"));
        moveSystem(REGISTRY, system, "{\"agencyCode\":").then().statusCode(400).contentType("application/problem+json");

        recode(REGISTRY, "H62", freshAgency()).then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("oldCode")).body("errors[0].rule", equalTo("pattern"));
        recode(REGISTRY, freshAgency(), "K01").then().statusCode(400)
                .body("errors[0].field", equalTo("newCode")).body("errors[0].rule", equalTo("pattern"));
        String same = freshAgency();
        recode(REGISTRY, same, same).then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("urn:lgsp:problem:unprocessable"))
                .body("errors[0].field", equalTo("newCode")).body("errors[0].rule", equalTo("changed"));
    }
}
