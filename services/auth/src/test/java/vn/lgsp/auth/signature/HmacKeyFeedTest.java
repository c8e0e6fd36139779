package vn.lgsp.auth.signature;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static vn.lgsp.auth.AuthFixtures.createCredential;
import static vn.lgsp.auth.AuthFixtures.newSystem;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import vn.lgsp.auth.AuthTestResource;
import vn.lgsp.testing.TestJwt;

@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class HmacKeyFeedTest {

    static final String ROUTING = TestJwt.service("routing");

    static Response feed(String token, String ifNoneMatch) {
        var req = given().auth().oauth2(token);
        if (ifNoneMatch != null) {
            req = req.header("If-None-Match", ifNoneMatch);
        }
        return req.get("/api/v1/feed/hmac-keys");
    }

    static List<Map<String, Object>> entries(Response r, String accessKey) {
        return r.jsonPath().getList("keys.findAll { it.accessKey == '" + accessKey + "' }");
    }

    @Test
    void onlyTheGatewayReadsSecretKeys() {
        feed(TestJwt.service("catalog"), null).then().statusCode(403).contentType("application/problem+json");
        feed(TestJwt.operator(), null).then().statusCode(403);
        feed(TestJwt.system("HTTT-X", "000.00.00.H62", "test"), null).then().statusCode(403);
        given().get("/api/v1/feed/hmac-keys").then().statusCode(401);
        feed(ROUTING, null).then().statusCode(200).header("Cache-Control", "no-store");
    }

    @Test
    void revisionFollowsCreateRotateRevokeAndAnswers304() {
        String system = newSystem("HTTT-FEED");
        JsonPath cred = createCredential(system, "production", "hmac");
        String ak = cred.getString("accessKey");
        JsonPath cs = createCredential(newSystem("HTTT-FEEDCS"), "production", "client_secret");

        Response first = feed(ROUTING, null);
        first.then().statusCode(200);
        String etag = first.header("ETag");
        Assertions.assertNotNull(etag);
        Assertions.assertEquals("\"" + first.jsonPath().getString("revision") + "\"", etag);
        List<Map<String, Object>> mine = entries(first, ak);
        Assertions.assertEquals(1, mine.size());
        Assertions.assertEquals(cred.getString("secretKey"), mine.get(0).get("secretKey"));
        Assertions.assertEquals(system, mine.get(0).get("systemCode"));
        Assertions.assertEquals("production", mine.get(0).get("environment"));
        Assertions.assertTrue(entries(first, cs.getString("clientId")).isEmpty(), "client_secret credentials are not hmac keys");

        feed(ROUTING, etag).then().statusCode(304);
        feed(ROUTING, "\"something-else\"").then().statusCode(200);

        // Rotation keeps the access key: one entry, the new secret, the previous one alongside until the overlap ends.
        String fresh = given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body("{\"overlapSeconds\":600}")
                .post("/api/v1/credentials/" + cred.getString("id") + "/rotate").then().statusCode(200).extract().path("secretKey");
        Response rotated = feed(ROUTING, etag);
        rotated.then().statusCode(200).header("ETag", not(equalTo(etag)));
        Assertions.assertTrue(rotated.jsonPath().getLong("revision") > first.jsonPath().getLong("revision"), "monotonic revision");
        List<Map<String, Object>> one = entries(rotated, ak);
        Assertions.assertEquals(1, one.size());
        Assertions.assertEquals(fresh, one.get(0).get("secretKey"));
        Assertions.assertEquals(cred.getString("secretKey"), one.get(0).get("previousSecretKey"));
        Assertions.assertNotNull(one.get(0).get("previousValidUntil"));
        Assertions.assertFalse(first.asString().contains("previousSecretKey\":\"" + fresh));

        // Revocation removes it.
        String etag2 = rotated.header("ETag");
        given().auth().oauth2(TestJwt.operator()).post("/api/v1/credentials/" + cred.getString("id") + "/revoke").then().statusCode(200);
        Response revoked = feed(ROUTING, etag2);
        revoked.then().statusCode(200).header("ETag", not(equalTo(etag2)));
        Assertions.assertTrue(entries(revoked, ak).isEmpty());
    }

    @Test
    void expiryChangesTheRevision() throws Exception {
        String expiresAt = java.time.Instant.now().plusSeconds(2).toString();
        String ak = given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("""
                        {"systemCode":"%s","agencyCode":"000.00.00.H62","environment":"test","kind":"hmac","expiresAt":"%s"}"""
                        .formatted(newSystem("HTTT-EXP"), expiresAt))
                .post("/api/v1/credentials").then().statusCode(201).extract().path("accessKey");
        Response before = feed(ROUTING, null);
        Assertions.assertEquals(1, entries(before, ak).size());
        Thread.sleep(2500);
        Response after = feed(ROUTING, before.header("ETag"));
        after.then().statusCode(200);
        Assertions.assertTrue(entries(after, ak).isEmpty());
    }
}
