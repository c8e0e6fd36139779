package vn.lgsp.registry.system;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import vn.lgsp.common.audit.AuditPublisher;
import vn.lgsp.registry.AuthStub;
import vn.lgsp.registry.Fixtures;
import vn.lgsp.testing.PlatformTestResource;
import vn.lgsp.testing.TestJwt;

/** Retiring systems, and systems following their agency through merges and splits, with history and audit. */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
@QuarkusTestResource(AuthStub.class)
class SystemLifecycleTest {

    @Inject
    AuditPublisher auditPublisher;

    @AfterEach
    void authBack() {
        AuthStub.mode = "ok";
    }

    private static ValidatableResponse retire(String token, String system, String comment) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(comment == null ? "{}" : "{\"comment\":\"" + comment + "\"}")
                .post("/api/v1/systems/" + system + "/retire").then();
    }

    private static ValidatableResponse system(String code) {
        return given().auth().oauth2(TestJwt.operator()).get("/api/v1/systems/" + code).then().statusCode(200);
    }

    @Test
    void aSystemWithAnOpenRequestCannotRetireUntilTheRequestIsClosed() {
        String agency = Fixtures.agency("Sở Nội vụ", null);
        String admin = TestJwt.agencyAdmin(agency);
        String code = Fixtures.system(agency, false);
        String request = Fixtures.request(code, Fixtures.contact(code), admin);

        retire(TestJwt.auditor(), code, "x").statusCode(403);
        retire(TestJwt.agencyAdmin(Fixtures.agency("Sở khác", null)), code, "x").statusCode(403);
        retire(admin, code, null).statusCode(400).body("errors[0].field", equalTo("comment"));
        retire(admin, code, "Thay thế").statusCode(409).contentType("application/problem+json")
                .body("errors[0].rule", equalTo("noOpenConnectionRequest"));
        system(code).body("status", equalTo("registered"));

        Fixtures.act(request, "withdraw", admin).statusCode(200);
        // auth unreachable: nothing changes
        AuthStub.mode = "drop";
        retire(admin, code, "Thay thế").statusCode(503);
        system(code).body("status", equalTo("registered"));
        AuthStub.mode = "ok";

        int before = AuthStub.callsFor(code).size();
        retire(admin, code, "Thay thế bởi hệ thống mới").statusCode(200).body("status", equalTo("retired"));
        assertTrue(AuthStub.callsFor(code).subList(before, AuthStub.callsFor(code).size()).stream()
                .filter(c -> c.path().equals("/api/v1/credentials/revoke")).count() == 2, "both environments revoked at auth");
        given().auth().oauth2(TestJwt.auditor()).get("/api/v1/systems/" + code + "/history").then().statusCode(200)
                .body("type", contains("retired")).body("[0].comment", equalTo("Thay thế bởi hệ thống mới"))
                .body("[0].fromStatus", equalTo("registered")).body("[0].toStatus", equalTo("retired"));
        assertTrue(auditPublisher.snapshot().stream().anyMatch(e -> "system.retire".equals(e.action()) && code.equals(e.resourceId())
                && "retired".equals(e.after().path("status").asText())));

        // final: no second retirement, no new request
        retire(TestJwt.operator(), code, "again").statusCode(409).body("type", equalTo("urn:lgsp:problem:illegal-transition"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("""
                {"systemCode":"%s","purpose":"p","dataScope":"d","requestedServices":["dan-cu:v1"],"expectedFrequency":"f",
                 "technicalContactId":"8c7e4a52-2a0e-4c55-9d55-0a4a7f1f0b11"}""".formatted(code))
                .post("/api/v1/connection-requests").then().statusCode(422).body("errors[0].field", equalTo("systemCode"));
    }

    @Test
    void systemsOfAMergedAgencyMoveToItsSuccessor() {
        String from = Fixtures.agency("Sở Kế hoạch và Đầu tư", null);
        String into = Fixtures.agency("Sở Tài chính", null);
        String active = Fixtures.system(from, false);
        String old = Fixtures.system(from, false);
        retire(TestJwt.operator(), old, "Không dùng nữa").statusCode(200);

        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"intoCode\":\"" + into + "\",\"comment\":\"Hợp nhất theo Nghị quyết\"}")
                .post("/api/v1/agencies/" + from + "/merge").then().statusCode(200);
        system(active).body("agencyCode", equalTo(into));
        system(old).body("agencyCode", equalTo(from)); // a retired system stays where it was, as history
        given().auth().oauth2(TestJwt.agencyAdmin(into)).get("/api/v1/systems/" + active + "/history").then().statusCode(200)
                .body("type", contains("moved")).body("[0].cause", equalTo("agency.merge"))
                .body("[0].fromAgency", equalTo(from)).body("[0].toAgency", equalTo(into));
        assertTrue(auditPublisher.snapshot().stream().anyMatch(e -> "system.move".equals(e.action()) && active.equals(e.resourceId())
                && into.equals(e.after().path("agencyCode").asText()) && from.equals(e.before().path("agencyCode").asText())));
    }

    @Test
    void aSplitAssignsEachSystemToTheSuccessorTheOperatorChooses() {
        String split = Fixtures.agency("Sở Giáo dục và Khoa học", null);
        String edu = Fixtures.agency("Sở Giáo dục", null);
        String sci = Fixtures.agency("Sở Khoa học", null);
        String school = Fixtures.system(split, false);
        String lab = Fixtures.system(split, false);
        String path = "/api/v1/agencies/" + split + "/split";
        String successors = "\"successorCodes\":[\"" + edu + "\",\"" + sci + "\"]";

        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body("{" + successors + "}").post(path).then()
                .statusCode(422).body("errors[0].field", equalTo("systems")).body("errors[0].rule", equalTo("allAssigned"));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{" + successors + ",\"systems\":{\"" + school + "\":\"" + edu + "\",\"" + lab + "\":\"000.00.00.H99\","
                        + "\"HTTT-KHAC\":\"" + edu + "\"}}").post(path).then().statusCode(422)
                .body("errors.field", hasItem("systems." + lab)).body("errors.rule", hasItem("successor"))
                .body("errors.field", hasItem("systems.HTTT-KHAC")).body("errors.rule", hasItem("ofAgency"));
        given().auth().oauth2(TestJwt.agencyAdmin(split)).contentType(ContentType.JSON)
                .body("{" + successors + ",\"systems\":{\"" + school + "\":\"" + edu + "\",\"" + lab + "\":\"" + sci + "\"}}")
                .post(path).then().statusCode(403);
        // nothing moved, nothing split
        given().auth().oauth2(TestJwt.operator()).get("/api/v1/agencies/" + split).then().body("status", equalTo("active"));
        system(school).body("agencyCode", equalTo(split));

        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{" + successors + ",\"systems\":{\"" + school + "\":\"" + edu + "\",\"" + lab + "\":\"" + sci + "\"},"
                        + "\"comment\":\"Chia tách\"}").post(path).then().statusCode(200).body("status", equalTo("split"));
        system(school).body("agencyCode", equalTo(edu));
        system(lab).body("agencyCode", equalTo(sci));
        given().auth().oauth2(TestJwt.operator()).get("/api/v1/systems/" + lab + "/history").then()
                .body("[0].cause", equalTo("agency.split")).body("[0].toAgency", equalTo(sci)).body("[0].comment", equalTo("Chia tách"));
    }

    @Test
    void movingASystemByHandIsInItsHistory() {
        String a = Fixtures.agency("Sở Công Thương", null);
        String b = Fixtures.agency("Sở Nông nghiệp", null);
        String code = Fixtures.system(a, false);
        String etag = given().auth().oauth2(TestJwt.operator()).get("/api/v1/systems/" + code).then().extract().header("ETag");
        given().auth().oauth2(TestJwt.operator()).header("If-Match", etag).contentType(ContentType.JSON).body("""
                {"name":"Hệ thống chuyển","agencyCode":"%s","purpose":"p","baseUrls":{"test":"https://test.example.vn"},
                 "allowedSourceIps":[],"securityLevel":2,"mandatoryConnection":false}""".formatted(b))
                .put("/api/v1/systems/" + code).then().statusCode(200).body("agencyCode", equalTo(b));
        given().auth().oauth2(TestJwt.operator()).get("/api/v1/systems/" + code + "/history").then()
                .body("type", contains("moved")).body("[0].cause", equalTo("request")).body("[0].fromAgency", equalTo(a));
    }
}
