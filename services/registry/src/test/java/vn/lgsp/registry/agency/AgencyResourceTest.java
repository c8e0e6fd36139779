package vn.lgsp.registry.agency;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import vn.lgsp.common.audit.AuditPublisher;
import vn.lgsp.registry.AuthStub;
import vn.lgsp.registry.Fixtures;
import vn.lgsp.testing.PlatformTestResource;
import vn.lgsp.testing.TestJwt;

@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
@QuarkusTestResource(AuthStub.class)
class AgencyResourceTest {

    @Inject
    AuditPublisher publisher;

    @Test
    void createsReadsAndRefusesDuplicates() {
        String code = Fixtures.agencyCode();
        String body = "{\"code\":\"" + code + "\",\"name\":\"Sở Tài chính tỉnh Lào Cai\",\"shortName\":\"STC\",\"level\":\"department\"}";
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body(body).post("/api/v1/agencies")
                .then().statusCode(201).header("ETag", equalTo("\"1\"")).header("Location", containsString("/api/v1/agencies/" + code))
                .body("code", equalTo(code)).body("name", equalTo("Sở Tài chính tỉnh Lào Cai")).body("status", equalTo("active"));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body(body).post("/api/v1/agencies")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:lgsp:problem:duplicate")).body("errors[0].field", equalTo("code"));
        given().auth().oauth2(TestJwt.auditor()).get("/api/v1/agencies/" + code).then().statusCode(200)
                .body("shortName", equalTo("STC")).body("resolvedFrom", nullValue());
        assertTrue(publisher.snapshot().stream().anyMatch(e -> "agency.create".equals(e.action()) && code.equals(e.resourceId())
                && "operator-1".equals(e.actor()) && e.after() != null), "the creation is in the audit log");
    }

    @Test
    void badInputIsAProblemNamingTheField() {
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body("{\"code\": \"000.00")
                .post("/api/v1/agencies").then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:lgsp:problem:malformed-body"));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"code\":\"" + Fixtures.agencyCode() + "\",\"name\":\"A\",\"level\":\"department\",\"colour\":\"red\"}")
                .post("/api/v1/agencies").then().statusCode(400).body("errors[0].field", equalTo("colour"))
                .body("errors[0].rule", equalTo("unknown-field"));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"code\":\"H62-000\",\"name\":\"A\",\"level\":\"department\"}")
                .post("/api/v1/agencies").then().statusCode(400).body("type", equalTo("urn:lgsp:problem:validation-failed"))
                .body("errors.field", hasItem("code")).body("errors.rule", hasItem("pattern"));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"code\":\"" + Fixtures.agencyCode() + "\",\"name\":\"" + "Ư".repeat(256) + "\",\"level\":\"galaxy\"}")
                .post("/api/v1/agencies").then().statusCode(400)
                .body("errors.field", hasItem("name")).body("errors.rule", hasItem("size")).body("errors.field", hasItem("level"));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"code\":\"" + Fixtures.agencyCode() + "\",\"name\":\"A\",\"level\":\"department\",\"parentCode\":\"999.99.99.Z99\"}")
                .post("/api/v1/agencies").then().statusCode(422).body("errors[0].field", equalTo("parentCode"));
        given().auth().oauth2(TestJwt.operator()).get("/api/v1/agencies?sort=colour").then().statusCode(400)
                .body("errors[0].field", equalTo("sort"));
        given().auth().oauth2(TestJwt.operator()).get("/api/v1/agencies?size=5000").then().statusCode(400)
                .body("errors[0].field", equalTo("size"));
    }

    @Test
    void onlyOperatorsWriteAndAdminsSeeTheirTree() {
        String parent = Fixtures.agency("UBND huyện Bảo Thắng", null);
        String child = Fixtures.agency("Phòng Tài chính - Kế hoạch", parent);
        String other = Fixtures.agency("UBND huyện Sa Pa", null);
        String body = "{\"code\":\"" + Fixtures.agencyCode() + "\",\"name\":\"X\",\"level\":\"commune\"}";
        given().auth().oauth2(TestJwt.agencyAdmin(parent)).contentType(ContentType.JSON).body(body).post("/api/v1/agencies")
                .then().statusCode(403).contentType("application/problem+json").body("type", equalTo("urn:lgsp:problem:forbidden"));
        given().auth().oauth2(TestJwt.auditor()).contentType(ContentType.JSON).body(body).post("/api/v1/agencies").then().statusCode(403);
        given().contentType(ContentType.JSON).body(body).post("/api/v1/agencies").then().statusCode(401);

        given().auth().oauth2(TestJwt.agencyAdmin(parent)).get("/api/v1/agencies/" + child).then().statusCode(200);
        given().auth().oauth2(TestJwt.agencyAdmin(parent)).get("/api/v1/agencies/" + other).then().statusCode(403);
        given().auth().oauth2(TestJwt.agencyAdmin(child)).get("/api/v1/agencies/" + parent).then().statusCode(403);
        given().auth().oauth2(TestJwt.agencyAdmin(parent)).queryParam("size", 200).get("/api/v1/agencies").then().statusCode(200)
                .body("items.code", hasItem(child)).body("items.code", not(hasItem(other))).body("total", equalTo(2));
    }

    @Test
    void searchIgnoresDiacritics() {
        String marker = "Lục Yên " + Fixtures.systemCode().substring(5);
        String code = Fixtures.agency("Sở Tài chính " + marker, null);
        String folded = "so tai chinh luc yen " + marker.substring(8);
        given().auth().oauth2(TestJwt.operator()).queryParam("q", folded).get("/api/v1/agencies").then().statusCode(200)
                .body("items.code", contains(code)).body("total", equalTo(1));
        given().auth().oauth2(TestJwt.operator()).queryParam("q", "SỞ TÀI CHÍNH LỤC YÊN " + marker.substring(8)).get("/api/v1/agencies")
                .then().statusCode(200).body("items.code", contains(code));
        given().auth().oauth2(TestJwt.operator()).queryParam("q", "Đà Lạt%").get("/api/v1/agencies").then().statusCode(200)
                .body("total", equalTo(0));
    }

    @Test
    void listsSortAndPage() {
        String parent = Fixtures.agency("Tỉnh sắp xếp", null);
        Fixtures.agency("Bình", parent);
        Fixtures.agency("An", parent);
        Fixtures.agency("Cường", parent);
        given().auth().oauth2(TestJwt.operator()).queryParam("parentCode", parent).queryParam("sort", "name")
                .queryParam("direction", "desc").queryParam("size", 2).get("/api/v1/agencies").then().statusCode(200)
                .body("items.name", contains("Cường", "Bình")).body("total", equalTo(3)).body("size", equalTo(2));
        given().auth().oauth2(TestJwt.operator()).queryParam("parentCode", parent).queryParam("sort", "name")
                .queryParam("page", 1).queryParam("size", 2).get("/api/v1/agencies").then().statusCode(200)
                .body("items.name", contains("Cường"));
    }

    @Test
    void updatesNeedACurrentIfMatch() {
        String code = Fixtures.agency("Sở Y tế", null);
        String body = "{\"name\":\"Sở Y tế tỉnh\",\"shortName\":\"SYT\",\"level\":\"department\"}";
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body(body).put("/api/v1/agencies/" + code)
                .then().statusCode(428).body("type", equalTo("urn:lgsp:problem:precondition-required"));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).header("If-Match", "\"1\"").body(body)
                .put("/api/v1/agencies/" + code).then().statusCode(200).header("ETag", equalTo("\"2\"")).body("shortName", equalTo("SYT"));
        // a second editor still holding version 1 must not overwrite the first one's change
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).header("If-Match", "\"1\"")
                .body("{\"name\":\"Sở Y tế (cũ)\",\"level\":\"department\"}")
                .put("/api/v1/agencies/" + code).then().statusCode(412).body("type", equalTo("urn:lgsp:problem:precondition-failed"));
        given().auth().oauth2(TestJwt.operator()).get("/api/v1/agencies/" + code).then().body("name", equalTo("Sở Y tế tỉnh"));
        // an agency cannot become its own ancestor
        String child = Fixtures.agency("Trung tâm Y tế", code);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).header("If-Match", "\"2\"")
                .body("{\"name\":\"Sở Y tế tỉnh\",\"level\":\"department\",\"parentCode\":\"" + child + "\"}")
                .put("/api/v1/agencies/" + code).then().statusCode(422).body("errors[0].rule", equalTo("acyclic"));
    }

    @Test
    void renameReissuesTheCodeAndTheOldOneStillResolves() {
        String parent = Fixtures.agency("Sở Thông tin và Truyền thông", null);
        String child = Fixtures.agency("Trung tâm CNTT", parent);
        String newCode = Fixtures.agencyCode();
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"newName\":\"Sở Khoa học và Công nghệ\",\"newCode\":\"" + newCode + "\",\"effectiveAt\":\"2025-03-01T00:00:00Z\","
                        + "\"comment\":\"Hợp nhất theo Nghị quyết\"}")
                .post("/api/v1/agencies/" + parent + "/rename").then().statusCode(200)
                .body("code", equalTo(newCode)).body("name", equalTo("Sở Khoa học và Công nghệ")).body("previousCodes", contains(parent));

        given().auth().oauth2(TestJwt.operator()).get("/api/v1/agencies/" + parent).then().statusCode(200)
                .body("code", equalTo(newCode)).body("resolvedFrom", equalTo(parent))
                .header("Content-Location", equalTo("/api/v1/agencies/" + newCode));
        given().auth().oauth2(TestJwt.operator()).get("/api/v1/agencies/" + child).then().body("parentCode", equalTo(newCode));
        // an admin whose token still names the old code keeps its rights over the tree
        given().auth().oauth2(TestJwt.agencyAdmin(parent)).get("/api/v1/agencies/" + child).then().statusCode(200);
        // the old code is never handed out again
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"code\":\"" + parent + "\",\"name\":\"Khác\",\"level\":\"department\"}")
                .post("/api/v1/agencies").then().statusCode(409).body("errors[0].field", equalTo("code"));

        given().auth().oauth2(TestJwt.auditor()).get("/api/v1/agencies/" + parent + "/history").then().statusCode(200)
                .body("type", contains("created", "renamed"))
                .body("[1].beforeName", equalTo("Sở Thông tin và Truyền thông")).body("[1].afterName", equalTo("Sở Khoa học và Công nghệ"))
                .body("[1].beforeCode", equalTo(parent)).body("[1].afterCode", equalTo(newCode))
                .body("[1].actor", equalTo("operator-1")).body("[1].at", equalTo("2025-03-01T00:00:00Z"))
                .body("[1].comment", equalTo("Hợp nhất theo Nghị quyết"));
    }

    @Test
    void mergeSplitAndDissolveAreRecordedAndFinal() {
        String into = Fixtures.agency("Sở Nông nghiệp và Môi trường", null);
        String merged = Fixtures.agency("Sở Tài nguyên và Môi trường", null);
        String grandchild = Fixtures.agency("Văn phòng đăng ký đất đai", merged);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"intoCode\":\"" + into + "\",\"comment\":\"Sáp nhập\"}")
                .post("/api/v1/agencies/" + merged + "/merge").then().statusCode(200)
                .body("status", equalTo("merged")).body("successorCodes", contains(into));
        given().auth().oauth2(TestJwt.operator()).get("/api/v1/agencies/" + grandchild).then().body("parentCode", equalTo(into));
        given().auth().oauth2(TestJwt.operator()).get("/api/v1/agencies/" + merged + "/history").then()
                .body("type", contains("created", "merged")).body("[1].successors", contains(into));
        given().auth().oauth2(TestJwt.operator()).get("/api/v1/agencies/" + into + "/history").then()
                .body("type", contains("created", "absorbed")).body("[1].beforeCode", equalTo(merged));
        // a merged agency cannot be merged, split, renamed or dissolved again
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body("{\"comment\":\"x\"}")
                .post("/api/v1/agencies/" + merged + "/dissolve").then().statusCode(409)
                .body("type", equalTo("urn:lgsp:problem:illegal-transition"));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body("{\"newName\":\"Y\"}")
                .post("/api/v1/agencies/" + merged + "/rename").then().statusCode(409);
        // nor be a successor
        String third = Fixtures.agency("Sở Xây dựng", null);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body("{\"intoCode\":\"" + merged + "\"}")
                .post("/api/v1/agencies/" + third + "/merge").then().statusCode(422).body("errors[0].rule", equalTo("active"));

        String a = Fixtures.agency("Sở A", null);
        String b = Fixtures.agency("Sở B", null);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"successorCodes\":[\"" + a + "\",\"" + b + "\"],\"comment\":\"Chia tách\"}")
                .post("/api/v1/agencies/" + third + "/split").then().statusCode(200)
                .body("status", equalTo("split")).body("successorCodes", contains(a, b));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body("{\"comment\":\"Giải thể\"}")
                .post("/api/v1/agencies/" + a + "/dissolve").then().statusCode(200).body("status", equalTo("dissolved"));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/agencies/" + b + "/dissolve").then().statusCode(400).body("errors[0].field", equalTo("comment"));
        given().auth().oauth2(TestJwt.operator()).queryParam("status", "dissolved").queryParam("q", "so a")
                .queryParam("size", 200).get("/api/v1/agencies").then().body("items.code", hasItem(a));
        given().auth().oauth2(TestJwt.agencyAdmin(b)).contentType(ContentType.JSON).body("{\"comment\":\"x\"}")
                .post("/api/v1/agencies/" + b + "/dissolve").then().statusCode(403);
        given().auth().oauth2(TestJwt.operator()).get("/api/v1/agencies/999.99.99.Z98").then().statusCode(404)
                .body("type", equalTo("urn:lgsp:problem:not-found"));
    }

    @Test
    void listShapeIsAPage() {
        Fixtures.agency("Sở Nội vụ", null);
        given().auth().oauth2(TestJwt.service("catalog")).get("/api/v1/agencies?size=1").then().statusCode(200)
                .body("items", hasSize(1)).body("page", equalTo(0));
    }
}
