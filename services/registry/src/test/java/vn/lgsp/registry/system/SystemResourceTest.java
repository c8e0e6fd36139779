package vn.lgsp.registry.system;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import vn.lgsp.registry.AuthStub;
import vn.lgsp.registry.Fixtures;
import vn.lgsp.testing.PlatformTestResource;
import vn.lgsp.testing.TestJwt;

@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
@QuarkusTestResource(AuthStub.class)
class SystemResourceTest {

    private static String body(String code, String agency, String extra) {
        return """
                {"code":"%s","name":"Cổng dịch vụ công","agencyCode":"%s","description":"Mô tả","purpose":"Cung cấp DVC",
                 "baseUrls":{"test":"https://test.dvc.example.vn","production":"https://dvc.example.vn"},
                 "allowedSourceIps":["203.0.113.10","10.20.0.0/16","2001:db8::/32"],"securityLevel":3%s}"""
                .formatted(code, agency, extra);
    }

    @Test
    void agencyAdminsRegisterForTheirTreeOnly() {
        String parent = Fixtures.agency("UBND tỉnh", null);
        String child = Fixtures.agency("Sở Tư pháp", parent);
        String other = Fixtures.agency("Sở Công thương", null);
        String code = Fixtures.systemCode();
        given().auth().oauth2(TestJwt.agencyAdmin(parent)).contentType(ContentType.JSON).body(body(code, child, ""))
                .post("/api/v1/systems").then().statusCode(201).header("ETag", equalTo("\"1\""))
                .body("code", equalTo(code)).body("agencyCode", equalTo(child)).body("status", equalTo("registered"))
                .body("baseUrls.production", equalTo("https://dvc.example.vn")).body("allowedSourceIps", hasSize(3))
                .body("mandatoryConnection", equalTo(false));
        given().auth().oauth2(TestJwt.agencyAdmin(child)).contentType(ContentType.JSON).body(body(Fixtures.systemCode(), other, ""))
                .post("/api/v1/systems").then().statusCode(403);
        given().auth().oauth2(TestJwt.agencyAdmin(child)).contentType(ContentType.JSON)
                .body(body(Fixtures.systemCode(), child, ",\"mandatoryConnection\":true"))
                .post("/api/v1/systems").then().statusCode(403).body("errors[0].field", equalTo("mandatoryConnection"));
        given().auth().oauth2(TestJwt.auditor()).contentType(ContentType.JSON).body(body(Fixtures.systemCode(), child, ""))
                .post("/api/v1/systems").then().statusCode(403);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body(body(code, child, ""))
                .post("/api/v1/systems").then().statusCode(409).body("type", equalTo("urn:lgsp:problem:duplicate"))
                .body("errors[0].field", equalTo("code"));

        // reads: catalog and auth with a service token; the admin of another branch cannot
        given().auth().oauth2(TestJwt.service("catalog")).get("/api/v1/systems/" + code).then().statusCode(200)
                .body("code", equalTo(code)).body("name", equalTo("Cổng dịch vụ công")).body("agencyCode", equalTo(child))
                .body("status", equalTo("registered"));
        given().auth().oauth2(TestJwt.agencyAdmin(other)).get("/api/v1/systems/" + code).then().statusCode(403);
        given().auth().oauth2(TestJwt.system("HTTT-X", child, "test")).get("/api/v1/systems/" + code).then().statusCode(403);
        given().auth().oauth2(TestJwt.operator()).get("/api/v1/systems/NOPE-404").then().statusCode(404);
        given().auth().oauth2(TestJwt.agencyAdmin(other)).queryParam("size", 200).get("/api/v1/systems").then().statusCode(200)
                .body("items.code", not(hasItem(code)));
    }

    @Test
    void badInputNamesTheField() {
        String agency = Fixtures.agency("Sở Giáo dục", null);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("""
                        {"code":"%s","name":"X","agencyCode":"%s","purpose":"p","securityLevel":3,
                         "baseUrls":{"test":"ftp://files.example.vn","production":"not a url"},
                         "allowedSourceIps":["10.0.0.0/33","300.1.1.1","example.vn","2001:db8::/129","192.168.1.1"]}"""
                        .formatted(Fixtures.systemCode(), agency))
                .post("/api/v1/systems").then().statusCode(400)
                .body("errors.field", hasItems("baseUrls.test", "baseUrls.production", "allowedSourceIps[0]", "allowedSourceIps[1]",
                        "allowedSourceIps[2]", "allowedSourceIps[3]"))
                .body("errors.field", not(hasItem("allowedSourceIps[4]")));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"code\":\"-bad code\",\"name\":\"X\",\"agencyCode\":\"" + agency + "\",\"purpose\":\"p\",\"securityLevel\":9}")
                .post("/api/v1/systems").then().statusCode(400).body("errors.field", hasItems("code", "securityLevel"));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body(body(Fixtures.systemCode(), "999.99.99.Z97", "")).post("/api/v1/systems").then().statusCode(422)
                .body("errors[0].field", equalTo("agencyCode"));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body(body(Fixtures.systemCode(), agency, ",\"securityLevel\":\"high\"")).post("/api/v1/systems").then().statusCode(400);
        given().auth().oauth2(TestJwt.operator()).get("/api/v1/systems?environment=staging").then().statusCode(400)
                .body("errors[0].field", equalTo("environment"));
    }

    @Test
    void filtersAndSearch() {
        String agency = Fixtures.agency("Sở Lao động", null);
        String withProd = Fixtures.systemCode();
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body(body(withProd, agency, "").replace("Cổng dịch vụ công", "Quản lý hộ tịch điện tử"))
                .post("/api/v1/systems").then().statusCode(201);
        String testOnly = Fixtures.system(agency, false);
        given().auth().oauth2(TestJwt.operator()).queryParam("agencyCode", agency).queryParam("environment", "production")
                .get("/api/v1/systems").then().statusCode(200).body("items.code", contains(withProd));
        given().auth().oauth2(TestJwt.operator()).queryParam("agencyCode", agency).queryParam("environment", "test")
                .queryParam("sort", "code").get("/api/v1/systems").then().body("total", equalTo(2));
        given().auth().oauth2(TestJwt.operator()).queryParam("agencyCode", agency).queryParam("q", "quan ly ho tich")
                .get("/api/v1/systems").then().body("items.code", contains(withProd));
        given().auth().oauth2(TestJwt.operator()).queryParam("agencyCode", agency).queryParam("status", "connected")
                .get("/api/v1/systems").then().body("total", equalTo(0));
        given().auth().oauth2(TestJwt.auditor()).queryParam("agencyCode", agency).queryParam("status", "registered")
                .get("/api/v1/systems").then().body("items.code", hasItems(withProd, testOnly));
    }

    @Test
    void updatesNeedIfMatchAndOnlyOperatorsFlagMandatory() {
        String agency = Fixtures.agency("Sở Văn hóa", null);
        String code = Fixtures.system(agency, false);
        String update = """
                {"name":"Tên mới","agencyCode":"%s","purpose":"p","securityLevel":4,"mandatoryConnection":%s}""";
        given().auth().oauth2(TestJwt.agencyAdmin(agency)).contentType(ContentType.JSON).body(update.formatted(agency, false))
                .put("/api/v1/systems/" + code).then().statusCode(428);
        given().auth().oauth2(TestJwt.agencyAdmin(agency)).contentType(ContentType.JSON).header("If-Match", "\"1\"")
                .body(update.formatted(agency, true)).put("/api/v1/systems/" + code).then().statusCode(403);
        given().auth().oauth2(TestJwt.agencyAdmin(agency)).contentType(ContentType.JSON).header("If-Match", "\"1\"")
                .body(update.formatted(agency, false)).put("/api/v1/systems/" + code).then().statusCode(200)
                .header("ETag", equalTo("\"2\"")).body("securityLevel", equalTo(4)).body("name", equalTo("Tên mới"));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).header("If-Match", "\"1\"")
                .body(update.formatted(agency, true)).put("/api/v1/systems/" + code).then().statusCode(412);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).header("If-Match", "\"2\"")
                .body(update.formatted(agency, true)).put("/api/v1/systems/" + code).then().statusCode(200)
                .body("mandatoryConnection", equalTo(true));
    }

    @Test
    void contacts() {
        String agency = Fixtures.agency("Sở Nội vụ", null);
        String other = Fixtures.agency("Sở Ngoại vụ", null);
        String code = Fixtures.system(agency, false);
        String id = given().auth().oauth2(TestJwt.agencyAdmin(agency)).contentType(ContentType.JSON)
                .body("{\"name\":\"Trần Thị Bình\",\"position\":\"Chuyên viên\",\"phone\":\"+84987654321\",\"email\":\"binh@example.vn\"}")
                .post("/api/v1/systems/" + code + "/contacts").then().statusCode(201).body("name", equalTo("Trần Thị Bình"))
                .extract().path("id");
        given().auth().oauth2(TestJwt.agencyAdmin(agency)).contentType(ContentType.JSON)
                .body("{\"name\":\"X\",\"position\":\"Y\",\"phone\":\"12345\",\"email\":\"not-an-email\"}")
                .post("/api/v1/systems/" + code + "/contacts").then().statusCode(400).body("errors.field", hasItems("phone", "email"));
        given().auth().oauth2(TestJwt.agencyAdmin(other)).contentType(ContentType.JSON)
                .body("{\"name\":\"X\",\"position\":\"Y\",\"phone\":\"0912345678\",\"email\":\"x@example.vn\"}")
                .post("/api/v1/systems/" + code + "/contacts").then().statusCode(403);
        given().auth().oauth2(TestJwt.auditor()).get("/api/v1/systems/" + code + "/contacts").then().statusCode(200)
                .body("id", contains(id)).body("[0].phone", equalTo("+84987654321"));
        given().auth().oauth2(TestJwt.auditor()).delete("/api/v1/systems/" + code + "/contacts/" + id).then().statusCode(403);
        given().auth().oauth2(TestJwt.agencyAdmin(agency)).delete("/api/v1/systems/" + code + "/contacts/" + id).then().statusCode(204);
        given().auth().oauth2(TestJwt.agencyAdmin(agency)).delete("/api/v1/systems/" + code + "/contacts/" + id).then().statusCode(404);
        given().auth().oauth2(TestJwt.operator()).get("/api/v1/systems/" + code + "/contacts").then().body("", hasSize(0));
    }
}
