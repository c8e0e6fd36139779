package vn.lgsp.auth.key;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static vn.lgsp.auth.AuthFixtures.verify;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.Test;
import vn.lgsp.auth.AuthFixtures;
import vn.lgsp.auth.AuthTestResource;
import vn.lgsp.testing.TestJwt;

@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class SigningKeyTest {

    @Test
    void jwksPublishesRsaSigningKeys() {
        given().get("/oauth2/jwks").then().statusCode(200)
                .body("keys", hasSize(greaterThanOrEqualTo(1)))
                .body("keys.kty", everyItem(equalTo("RSA")))
                .body("keys.alg", everyItem(equalTo("RS256")))
                .body("keys.use", everyItem(equalTo("sig")))
                .body("keys.e", everyItem(equalTo("AQAB")))
                .body("keys[0].kid", notNullValue())
                .body("keys[0].n", notNullValue())
                .body("keys[0].d", equalTo(null));
    }

    @Test
    void rotationKeepsOldTokensVerifiableAndSignsNewOnesWithTheNewKey() throws Exception {
        String before = AuthFixtures.accessToken("routing", "routing-test-secret-0123456789");
        String oldKid = kid(before);

        String newKid = given().auth().oauth2(TestJwt.operator()).post("/api/v1/signing-keys/rotate").then().statusCode(200)
                .body("retiredKid", equalTo(oldKid)).extract().path("activeKid");
        assertNotEquals(oldKid, newKid);

        given().get("/oauth2/jwks").then().body("keys.kid", hasItem(oldKid)).body("keys.kid", hasItem(newKid))
                .body("keys[0].kid", equalTo(newKid));
        String after = AuthFixtures.accessToken("routing", "routing-test-secret-0123456789");
        assertEquals(newKid, kid(after));
        // Both verify with only the JWKS URL, as any relying party would.
        assertEquals("service:routing", verify(before).getSubject());
        assertEquals("service:routing", verify(after).getSubject());
        given().auth().oauth2(TestJwt.auditor()).get("/api/v1/signing-keys").then().statusCode(200)
                .body("find { it.kid == '" + oldKid + "' }.status", equalTo("retired"))
                .body("find { it.kid == '" + newKid + "' }.status", equalTo("active"));
    }

    @Test
    void onlyOperatorsRotate() {
        given().auth().oauth2(TestJwt.auditor()).post("/api/v1/signing-keys/rotate").then().statusCode(403)
                .contentType("application/problem+json");
        given().auth().oauth2(TestJwt.service("registry")).post("/api/v1/signing-keys/rotate").then().statusCode(403);
        given().post("/api/v1/signing-keys/rotate").then().statusCode(401);
    }

    private static String kid(String token) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(token);
        return jws.getKeyIdHeaderValue();
    }
}
