package vn.lgsp.registry.connection;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import vn.lgsp.common.audit.AuditPublisher;
import vn.lgsp.registry.AuthStub;
import vn.lgsp.registry.Fixtures;
import vn.lgsp.testing.PlatformTestResource;
import vn.lgsp.testing.TestJwt;

/** A request's technical contact can change while the request is open; who, when, from whom to whom is kept. */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
@QuarkusTestResource(AuthStub.class)
class TechnicalContactTest {

    @Inject
    AuditPublisher auditPublisher;

    private static ValidatableResponse change(String token, String request, String etag, String contact) {
        var spec = given().auth().oauth2(token).contentType(ContentType.JSON);
        if (etag != null) {
            spec = spec.header("If-Match", etag);
        }
        return spec.body("{\"technicalContactId\":\"" + contact + "\",\"comment\":\"Chuyển công tác\"}")
                .put("/api/v1/connection-requests/" + request + "/technical-contact").then();
    }

    private static String etag(String request) {
        return given().auth().oauth2(TestJwt.operator()).get("/api/v1/connection-requests/" + request).then().statusCode(200)
                .extract().header("ETag");
    }

    @Test
    void theAgencyOrAnOperatorNamesAnotherContactOfTheSystem() {
        String agency = Fixtures.agency("Sở Văn hóa", null);
        String admin = TestJwt.agencyAdmin(agency);
        String system = Fixtures.system(agency, false);
        String first = Fixtures.contact(system);
        String second = Fixtures.contact(system);
        String foreign = Fixtures.contact(Fixtures.system(agency, false));
        String request = Fixtures.request(system, first, admin);
        String tag = etag(request);

        change(admin, request, null, second).statusCode(428);
        change(admin, request, "\"99\"", second).statusCode(412);
        change(TestJwt.auditor(), request, tag, second).statusCode(403);
        change(TestJwt.agencyAdmin(Fixtures.agency("Sở khác", null)), request, tag, second).statusCode(403);
        change(admin, request, tag, foreign).statusCode(422).body("errors[0].field", equalTo("technicalContactId"))
                .body("errors[0].rule", equalTo("contactOfSystem"));
        change(admin, request, tag, first).statusCode(422).body("errors[0].rule", equalTo("changed"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).header("If-Match", tag).body("{}")
                .put("/api/v1/connection-requests/" + request + "/technical-contact").then().statusCode(400)
                .body("errors[0].field", equalTo("technicalContactId"));

        String next = change(admin, request, tag, second).statusCode(200).body("technicalContactId", equalTo(second))
                .body("status", equalTo("submitted")).extract().header("ETag");
        assertTrue(!tag.equals(next));
        given().auth().oauth2(TestJwt.auditor()).get("/api/v1/connection-requests/" + request).then()
                .body("history[-1].action", equalTo("change_technical_contact"))
                .body("history[-1].fromContactId", equalTo(first)).body("history[-1].toContactId", equalTo(second))
                .body("history[-1].from", equalTo("submitted")).body("history[-1].to", equalTo("submitted"))
                .body("history[-1].comment", equalTo("Chuyển công tác"));
        assertTrue(auditPublisher.snapshot().stream().anyMatch(e -> "connection_request.change_technical_contact".equals(e.action())
                && request.equals(e.resourceId()) && first.equals(e.before().path("technicalContactId").asText())
                && second.equals(e.after().path("technicalContactId").asText())));

        // The old contact is free again (no longer referenced), so it can be deleted; the new one cannot.
        given().auth().oauth2(TestJwt.operator()).delete("/api/v1/systems/" + system + "/contacts/" + second).then().statusCode(409);
        given().auth().oauth2(TestJwt.operator()).delete("/api/v1/systems/" + system + "/contacts/" + first).then().statusCode(204);

        // Operators may change it too, e.g. in production; once withdrawn or revoked, no more.
        change(TestJwt.operator(), request, next, Fixtures.contact(system)).statusCode(200);
        Fixtures.act(request, "withdraw", admin).statusCode(200);
        change(admin, request, etag(request), second).statusCode(409).body("errors[0].rule", equalTo("requestOpen"));
    }
}
