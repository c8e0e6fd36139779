package vn.lgsp.catalog.dataservice;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import vn.lgsp.catalog.Fixtures;
import vn.lgsp.catalog.RegistryStub;
import vn.lgsp.testing.PlatformTestResource;
import vn.lgsp.testing.TestJwt;

@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
@QuarkusTestResource(RegistryStub.class)
class DataServiceResourceTest {

    @jakarta.inject.Inject
    vn.lgsp.common.audit.AuditPublisher auditPublisher;

    private static final String PROVIDER_ADMIN = RegistryStub.PROVIDER_AGENCY;
    /** rest-assured would encode an unknown JSON type as ISO-8859-1. */
    private static final String MERGE = "application/merge-patch+json; charset=UTF-8";

    @Test
    void agencyAdminOfTheOwnerCreatesAndTheCodeIsUnique() {
        String code = Fixtures.uniqueCode("dan-cu");
        String body = Fixtures.serviceJson(code, PROVIDER_ADMIN, RegistryStub.PROVIDER_SYSTEM, "master", true);
        given().auth().oauth2(TestJwt.agencyAdmin(PROVIDER_ADMIN)).contentType(ContentType.JSON).body(body)
                .post("/api/v1/services").then().statusCode(201)
                .header("Location", endsWith("/api/v1/services/" + code)).header("ETag", equalTo("\"1\""))
                .body("name", equalTo("Tra cứu thông tin công dân"))
                .body("documentation.connectionProcedure", equalTo("Qua LGSP"));
        assertTrue(RegistryStub.REGISTRY_AUTH.contains("Bearer stub-service-token"), "registry was called with the service token");
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body(body)
                .post("/api/v1/services").then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:lgsp:problem:duplicate")).body("errors[0].field", equalTo("code"));
        assertTrue(auditPublisher.snapshot().stream().anyMatch(e -> "data-service.create".equals(e.action())
                && code.equals(e.resourceId()) && ("admin-" + PROVIDER_ADMIN).equals(e.actor())), "the creation was audited");
    }

    @Test
    void theCodeOfThePathsTheGatewayServesItselfIsReserved() {
        // /api/v1/exchanges on the gateway's host is routing's asynchronous exchange API, so "api" cannot be a service.
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body(Fixtures.serviceJson("api", PROVIDER_ADMIN, RegistryStub.PROVIDER_SYSTEM, "master", true))
                .post("/api/v1/services").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("code")).body("errors[0].rule", equalTo("reserved"));
    }

    @Test
    void adminOfAnotherAgencyAndAuditorCannotCreate() {
        String body = Fixtures.serviceJson(Fixtures.uniqueCode("x"), PROVIDER_ADMIN, RegistryStub.PROVIDER_SYSTEM, "master", true);
        given().auth().oauth2(TestJwt.agencyAdmin(RegistryStub.THIRD_AGENCY)).contentType(ContentType.JSON).body(body)
                .post("/api/v1/services").then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(TestJwt.auditor()).contentType(ContentType.JSON).body(body)
                .post("/api/v1/services").then().statusCode(403);
        given().contentType(ContentType.JSON).body(body).post("/api/v1/services").then().statusCode(401);
    }

    @Test
    void providerSystemMustExistBeUsableAndBelongToTheOwner() {
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body(Fixtures.serviceJson(Fixtures.uniqueCode("x"), PROVIDER_ADMIN, "HTTT-KHONG-CO", "master", true))
                .post("/api/v1/services").then().statusCode(422)
                .body("errors[0].field", equalTo("providerSystemCode")).body("errors[0].rule", equalTo("registeredSystem"));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body(Fixtures.serviceJson(Fixtures.uniqueCode("x"), PROVIDER_ADMIN, RegistryStub.CONSUMER_SYSTEM, "master", true))
                .post("/api/v1/services").then().statusCode(422)
                .body("errors[0].field", equalTo("providerSystemCode")).body("errors[0].rule", equalTo("ownedByAgency"));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body(Fixtures.serviceJson(Fixtures.uniqueCode("x"), PROVIDER_ADMIN, RegistryStub.REVOKED_SYSTEM, "master", true))
                .post("/api/v1/services").then().statusCode(422).body("errors[0].rule", equalTo("usableSystem"));
    }

    @Test
    void badFieldsAreNamed() {
        String body = Fixtures.serviceJson("Bad Code!", "62", RegistryStub.PROVIDER_SYSTEM, "master", true);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body(body)
                .post("/api/v1/services").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("code")).body("errors.field", hasItem("ownerAgencyCode"));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body(Fixtures.serviceJson(Fixtures.uniqueCode("x"), PROVIDER_ADMIN, RegistryStub.PROVIDER_SYSTEM, "secret", true))
                .post("/api/v1/services").then().statusCode(400).body("errors[0].field", equalTo("dataClass"));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body(Fixtures.serviceJson(Fixtures.uniqueCode("x"), PROVIDER_ADMIN, RegistryStub.PROVIDER_SYSTEM, "master", true)
                        .replace("a@angiang.gov.vn", "not-an-email"))
                .post("/api/v1/services").then().statusCode(400).body("errors[0].field", equalTo("contact.email"));
    }

    @Test
    void patchAndPutNeedTheCurrentEtag() {
        String code = Fixtures.service("shared", false);
        String path = "/api/v1/services/" + code;
        given().auth().oauth2(TestJwt.operator()).contentType(MERGE).body("{\"name\":\"Mới\"}")
                .patch(path).then().statusCode(428).body("type", equalTo("urn:lgsp:problem:precondition-required"));
        given().auth().oauth2(TestJwt.operator()).header("If-Match", "\"7\"").contentType(MERGE)
                .body("{\"name\":\"Mới\"}").patch(path).then().statusCode(412);
        given().auth().oauth2(TestJwt.agencyAdmin(PROVIDER_ADMIN)).header("If-Match", "\"1\"")
                .contentType(MERGE).body("{\"name\":\"Dịch vụ mới\",\"contact\":{\"phone\":\"0296 3800 001\"}}")
                .patch(path).then().statusCode(200).header("ETag", equalTo("\"2\""))
                .body("name", equalTo("Dịch vụ mới")).body("contact.phone", equalTo("0296 3800 001"))
                .body("contact.name", equalTo("Nguyễn Văn A"));
        // The old ETag is stale now.
        given().auth().oauth2(TestJwt.operator()).header("If-Match", "\"1\"").contentType(ContentType.JSON)
                .body(Fixtures.serviceJson(code, PROVIDER_ADMIN, RegistryStub.PROVIDER_SYSTEM, "open", false))
                .put(path).then().statusCode(412);
        given().auth().oauth2(TestJwt.operator()).header("If-Match", "\"2\"").contentType(ContentType.JSON)
                .body(Fixtures.serviceJson(code, PROVIDER_ADMIN, RegistryStub.PROVIDER_SYSTEM, "open", false))
                .put(path).then().statusCode(200).body("dataClass", equalTo("open")).body("name", equalTo("Tra cứu thông tin công dân"));
        given().auth().oauth2(TestJwt.operator()).header("If-Match", "\"3\"").contentType(MERGE)
                .body("{\"code\":\"other\"}").patch(path).then().statusCode(400).body("errors[0].rule", equalTo("immutable"));
        given().auth().oauth2(TestJwt.operator()).header("If-Match", "\"3\"").contentType(MERGE)
                .body("{\"name\":null}").patch(path).then().statusCode(400).body("errors[0].field", equalTo("name"));
        given().auth().oauth2(TestJwt.agencyAdmin(RegistryStub.THIRD_AGENCY)).header("If-Match", "\"3\"")
                .contentType(MERGE).body("{\"name\":\"x\"}").patch(path).then().statusCode(403);
    }

    @Test
    void listFiltersSearchesAndPages() {
        String code = Fixtures.service("steering", false);
        given().auth().oauth2(TestJwt.auditor()).queryParam("q", code).get("/api/v1/services").then().statusCode(200)
                .body("items", hasSize(1)).body("items[0].code", equalTo(code)).body("total", equalTo(1));
        given().auth().oauth2(TestJwt.auditor()).queryParam("dataClass", "steering").queryParam("size", 200)
                .get("/api/v1/services").then().statusCode(200).body("items.code", hasItem(code));
        given().auth().oauth2(TestJwt.auditor()).queryParam("dataClass", "master").queryParam("size", 200)
                .get("/api/v1/services").then().statusCode(200).body("items.code", not(hasItem(code)));
        given().auth().oauth2(TestJwt.auditor()).queryParam("sort", "-nonsense").get("/api/v1/services").then()
                .statusCode(400).body("errors[0].field", equalTo("sort"));
        given().auth().oauth2(TestJwt.auditor()).queryParam("size", 500).get("/api/v1/services").then().statusCode(400);
        given().auth().oauth2(TestJwt.auditor()).get("/api/v1/services/" + code).then().statusCode(200).header("ETag", equalTo("\"1\""));
        given().auth().oauth2(TestJwt.auditor()).get("/api/v1/services/khong-co").then().statusCode(404);
    }
}
