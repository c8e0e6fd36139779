package vn.lgsp.auth.credential;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static vn.lgsp.auth.AuthFixtures.createCredential;
import static vn.lgsp.auth.AuthFixtures.newSystem;
import static vn.lgsp.auth.AuthFixtures.token;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.Set;
import org.junit.jupiter.api.Test;
import vn.lgsp.auth.AuthTestResource;
import vn.lgsp.testing.TestJwt;

@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class CredentialResourceTest {

    @Test
    void theSecretIsShownOnceAndNeverListed() {
        String system = newSystem("HTTT-ONCE");
        JsonPath created = createCredential(system, "production", "client_secret");
        String id = created.getString("id");
        org.junit.jupiter.api.Assertions.assertTrue(created.getString("clientId").startsWith("ck_"));
        org.junit.jupiter.api.Assertions.assertTrue(created.getString("clientSecret").startsWith("cs_"));

        given().auth().oauth2(TestJwt.operator()).get("/api/v1/credentials/" + id).then().statusCode(200)
                .body("clientId", equalTo(created.getString("clientId")))
                .body("status", equalTo("active"))
                .body("$", not(hasKey("clientSecret")))
                .body("$", not(hasKey("secretKey")));
        String listed = given().auth().oauth2(TestJwt.auditor()).queryParam("systemCode", system).get("/api/v1/credentials")
                .then().statusCode(200).body("items", hasSize(1)).body("total", equalTo(1))
                .body("items[0].id", equalTo(id)).extract().asString();
        org.junit.jupiter.api.Assertions.assertFalse(listed.contains(created.getString("clientSecret")));
        org.junit.jupiter.api.Assertions.assertFalse(listed.contains("clientSecret"));
    }

    @Test
    void hmacCredentialsShowAccessAndSecretKeyOnce() {
        JsonPath created = createCredential(newSystem("HTTT-SIG"), "test", "hmac");
        org.junit.jupiter.api.Assertions.assertTrue(created.getString("accessKey").startsWith("ak_"));
        org.junit.jupiter.api.Assertions.assertTrue(created.getString("secretKey").startsWith("sk_"));
        given().auth().oauth2(TestJwt.operator()).get("/api/v1/credentials/" + created.getString("id")).then()
                .body("accessKey", equalTo(created.getString("accessKey"))).body("$", not(hasKey("secretKey")));
    }

    @Test
    void badInputNamesTheField() {
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"systemCode\":\"x\",\"agencyCode\":\"H62\",\"environment\":\"staging\",\"kind\":\"password\","
                        + "\"expiresAt\":\"2020-01-01T00:00:00Z\"}")
                .post("/api/v1/credentials").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItems("systemCode", "agencyCode", "environment", "kind", "expiresAt"));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/credentials").then().statusCode(400)
                .body("errors.field", hasItems("systemCode", "agencyCode", "environment", "kind"))
                .body("errors.rule", hasItem("notNull"));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body("{\"expiresAt\":\"tomorrow\"}")
                .post("/api/v1/credentials").then().statusCode(400).body("errors[0].field", equalTo("expiresAt"));
        given().auth().oauth2(TestJwt.operator()).queryParam("environment", "staging").get("/api/v1/credentials")
                .then().statusCode(400).body("errors[0].field", equalTo("environment"));
        given().auth().oauth2(TestJwt.operator()).get("/api/v1/credentials/not-a-uuid").then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void rolesAreEnforced() {
        String body = "{\"systemCode\":\"HTTT-X\",\"agencyCode\":\"000.00.00.H62\",\"environment\":\"test\",\"kind\":\"client_secret\"}";
        given().auth().oauth2(TestJwt.auditor()).contentType(ContentType.JSON).body(body).post("/api/v1/credentials")
                .then().statusCode(403);
        given().auth().oauth2(TestJwt.system("HTTT-X", "000.00.00.H62", "test")).contentType(ContentType.JSON).body(body)
                .post("/api/v1/credentials").then().statusCode(403);
        given().auth().oauth2(TestJwt.service("registry")).contentType(ContentType.JSON).body(body).post("/api/v1/credentials")
                .then().statusCode(201);
        // The services' own JWT check: a foreign key, an expired token, alg none.
        given().auth().oauth2(TestJwt.signedByStranger("operator-1", Set.of("operator"))).get("/api/v1/credentials")
                .then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(TestJwt.expired("operator-1", Set.of("operator"))).get("/api/v1/credentials")
                .then().statusCode(401);
        String valid = TestJwt.operator();
        String none = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes())
                + "." + valid.split("\\.")[1] + ".";
        given().auth().oauth2(none).get("/api/v1/credentials").then().statusCode(401);
    }

    @Test
    void agencyAdminsSeeOnlyTheirOwnAgency() {
        String system = newSystem("HTTT-AGENCY");
        JsonPath created = createCredential(system, "production", "client_secret");
        given().auth().oauth2(TestJwt.agencyAdmin("000.00.00.H62")).queryParam("systemCode", system).get("/api/v1/credentials")
                .then().statusCode(200).body("items", hasSize(1));
        given().auth().oauth2(TestJwt.agencyAdmin("000.00.00.H01")).queryParam("systemCode", system).get("/api/v1/credentials")
                .then().statusCode(200).body("items", hasSize(0));
        given().auth().oauth2(TestJwt.agencyAdmin("000.00.00.H01")).get("/api/v1/credentials/" + created.getString("id"))
                .then().statusCode(404);
        given().auth().oauth2(TestJwt.agencyAdmin("000.00.00.H62")).post("/api/v1/credentials/" + created.getString("id") + "/revoke")
                .then().statusCode(403);
    }

    @Test
    void revokeAllOfASystemInOneEnvironment() {
        String system = newSystem("HTTT-ALL");
        JsonPath a = createCredential(system, "production", "client_secret");
        JsonPath b = createCredential(system, "production", "hmac");
        JsonPath t = createCredential(system, "test", "client_secret");
        given().auth().oauth2(TestJwt.service("registry")).contentType(ContentType.JSON)
                .body("{\"systemCode\":\"" + system + "\",\"environment\":\"production\"}")
                .post("/api/v1/credentials/revoke").then().statusCode(200)
                .body("revoked", equalTo(2)).body("clientIds", hasItems(a.getString("clientId"), b.getString("clientId")));
        // Idempotent.
        given().auth().oauth2(TestJwt.service("registry")).contentType(ContentType.JSON)
                .body("{\"systemCode\":\"" + system + "\",\"environment\":\"production\"}")
                .post("/api/v1/credentials/revoke").then().statusCode(200).body("revoked", equalTo(0));
        token(a.getString("clientId"), a.getString("clientSecret")).then().statusCode(401);
        token(t.getString("clientId"), t.getString("clientSecret")).then().statusCode(200);
        given().auth().oauth2(TestJwt.operator()).queryParam("systemCode", system).queryParam("status", "revoked")
                .get("/api/v1/credentials").then().body("items", hasSize(2)).body("items.status", everyItem(equalTo("revoked")));
        given().auth().oauth2(TestJwt.service("registry")).contentType(ContentType.JSON).body("{\"systemCode\":\"" + system + "\"}")
                .post("/api/v1/credentials/revoke").then().statusCode(400).body("errors[0].field", equalTo("environment"));
    }

    @Test
    void rotationGivesANewSecretAndKeepsTheOldOneForTheOverlap() {
        JsonPath created = createCredential(newSystem("HTTT-ROT"), "production", "client_secret");
        String id = created.getString("id");
        String clientId = created.getString("clientId");
        String oldSecret = created.getString("clientSecret");
        token(clientId, oldSecret).then().statusCode(200); // primes the verification cache with the old hash

        JsonPath rotated = given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body("{\"overlapSeconds\":3600}")
                .post("/api/v1/credentials/" + id + "/rotate").then().statusCode(200)
                .body("clientId", equalTo(clientId)).body("clientSecret", startsWith("cs_"))
                .body("previousSecretValidUntil", notNullValue()).extract().jsonPath();
        String newSecret = rotated.getString("clientSecret");
        token(clientId, newSecret).then().statusCode(200);
        token(clientId, oldSecret).then().statusCode(200);

        // A second rotation with no overlap: the secret of the first rotation stops working at once.
        String third = given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body("{\"overlapSeconds\":0}")
                .post("/api/v1/credentials/" + id + "/rotate").then().statusCode(200).extract().path("clientSecret");
        token(clientId, third).then().statusCode(200);
        token(clientId, newSecret).then().statusCode(401);
        token(clientId, oldSecret).then().statusCode(401);

        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body("{\"overlapSeconds\":-1}")
                .post("/api/v1/credentials/" + id + "/rotate").then().statusCode(400).body("errors[0].field", equalTo("overlapSeconds"));
        given().auth().oauth2(TestJwt.operator()).post("/api/v1/credentials/" + id + "/revoke").then().statusCode(200);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/credentials/" + id + "/rotate").then().statusCode(409);
    }
}
