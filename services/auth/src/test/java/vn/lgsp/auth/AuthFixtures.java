package vn.lgsp.auth;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import vn.lgsp.testing.TestJwt;

/** Shared steps of the auth tests: make credentials, get tokens, check tokens the way any JOSE library would. */
public final class AuthFixtures {

    public static final String AGENCY = "000.00.00.H62";

    private AuthFixtures() {
    }

    /** A fresh system code per test, so tests never see each other's credentials. */
    public static String newSystem(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    public static JsonPath createCredential(String systemCode, String environment, String kind) {
        return createCredential(systemCode, AGENCY, environment, kind);
    }

    public static JsonPath createCredential(String systemCode, String agencyCode, String environment, String kind) {
        return given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("""
                        {"systemCode":"%s","agencyCode":"%s","environment":"%s","kind":"%s"}""".formatted(systemCode, agencyCode, environment, kind))
                .post("/api/v1/credentials").then().statusCode(201).extract().jsonPath();
    }

    public static String basic(String id, String secret) {
        String raw = URLEncoder.encode(id, StandardCharsets.UTF_8) + ":" + URLEncoder.encode(secret, StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    public static Response token(String id, String secret) {
        return given().header("Authorization", basic(id, secret)).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").post("/oauth2/token");
    }

    public static String accessToken(String id, String secret) {
        return token(id, secret).then().statusCode(200).extract().path("access_token");
    }

    /** Verifies a token against the JWKS as published now, like any relying party. */
    public static JwtClaims verify(String token) throws Exception {
        JsonWebKeySet jwks = new JsonWebKeySet(given().get("/oauth2/jwks").then().statusCode(200).extract().asString());
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(jwks.getJsonWebKeys()))
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, "RS256")
                .setExpectedIssuer(TestJwt.ISSUER)
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireJwtId()
                .setSkipDefaultAudienceValidation()
                .build();
        return consumer.processToClaims(token);
    }
}
