package vn.lgsp.catalog.subscription;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.lgsp.catalog.Fixtures;
import vn.lgsp.catalog.RegistryStub;
import vn.lgsp.common.audit.AuditPublisher;
import vn.lgsp.testing.PlatformTestResource;
import vn.lgsp.testing.TestJwt;

/**
 * Access levels (REQUIREMENTS A3, Lào Cai Art. 21): an application asks for a level, the provider grants it or less,
 * either side reviews it later within its rights; a version's rules say which operations need which level; routing
 * learns both through the feed, and every change is told and audited.
 */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
@QuarkusTestResource(RegistryStub.class)
class SubscriptionAccessLevelTest {

    private static final String CONSUMER = TestJwt.agencyAdmin(RegistryStub.CONSUMER_AGENCY);
    private static final String PROVIDER = TestJwt.agencyAdmin(RegistryStub.PROVIDER_AGENCY);
    private static final String THIRD = TestJwt.agencyAdmin(RegistryStub.THIRD_AGENCY);
    private static final String ROUTING = TestJwt.service("routing");

    @Inject
    AuditPublisher auditPublisher;

    private static ValidatableResponse apply(String code, String version, String level) {
        String body = Fixtures.subscriptionJson(code, version, RegistryStub.CONSUMER_SYSTEM, "production", null);
        if (level != null) {
            body = body.substring(0, body.lastIndexOf('}')) + ",\"accessLevel\":\"" + level + "\"}";
        }
        return given().auth().oauth2(CONSUMER).contentType(ContentType.JSON).body(body).post("/api/v1/subscriptions").then();
    }

    private static ValidatableResponse level(String token, String id, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .put("/api/v1/subscriptions/" + id + "/access-level").then();
    }

    private static JsonPath snapshot() {
        return given().auth().oauth2(ROUTING).get("/api/v1/feed/snapshot").then().statusCode(200).extract().jsonPath();
    }

    private static String fedLevel(String id) {
        return snapshot().getString("subscriptions.find { it.id == '" + id + "' }.accessLevel");
    }

    private static List<Map<String, Object>> notices(String id) {
        List<Map<String, Object>> all = given().auth().oauth2(CONSUMER).queryParam("consumerSystem", RegistryStub.CONSUMER_SYSTEM)
                .queryParam("size", 100).get("/api/v1/notifications").then().statusCode(200).extract().path("items");
        return all.stream().filter(n -> id.equals(n.get("subscriptionId"))).toList();
    }

    @Test
    void theApplicationAsksTheProviderGrantsItOrLessAndRoutingIsTold() {
        String code = Fixtures.service("shared", false);
        Fixtures.published(code, "v1");

        apply(code, "v1", "admin").statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("accessLevel")).body("errors[0].rule", equalTo("pattern"))
                .body("errors[0].message", containsString("view, use, update, share"));
        apply(code, "v1", "VIEW").statusCode(400).body("errors[0].field", equalTo("accessLevel"));

        // Not said: use, the usual consumer relation.
        String plain = apply(code, "v1", null).statusCode(201).body("requestedAccessLevel", equalTo("use"))
                .body("accessLevel", equalTo("use")).extract().path("id");
        Fixtures.act(PROVIDER, plain, "reject", "{\"reason\":\"Thay bằng đơn mới\"}").statusCode(200);

        String id = apply(code, "v1", "update").statusCode(201).body("requestedAccessLevel", equalTo("update"))
                .extract().path("id");
        // More than asked cannot be granted (least privilege): 422, and nothing changed.
        Fixtures.act(PROVIDER, id, "approve", "{\"accessLevel\":\"share\"}").statusCode(422)
                .contentType("application/problem+json").body("errors[0].field", equalTo("accessLevel"))
                .body("errors[0].rule", equalTo("notAboveRequested"));
        Fixtures.act(PROVIDER, id, "approve", "{\"accessLevel\":\"all\"}").statusCode(400)
                .body("errors[0].field", equalTo("accessLevel"));
        given().auth().oauth2(CONSUMER).get("/api/v1/subscriptions/" + id).then().body("status", equalTo("pending"));
        // Less may be.
        Fixtures.act(PROVIDER, id, "approve", "{\"accessLevel\":\"view\",\"reason\":\"Chỉ cần tra cứu\"}").statusCode(200)
                .body("status", equalTo("active")).body("accessLevel", equalTo("view"))
                .body("requestedAccessLevel", equalTo("update"));
        assertEquals("view", fedLevel(id), "routing enforces what was granted");
    }

    @Test
    void eachSideChangesTheLevelWithinItsRights() {
        String code = Fixtures.service("shared", false);
        Fixtures.published(code, "v1");
        String id = apply(code, "v1", "use").statusCode(201).extract().path("id");

        // Pending: the applicant may change what it asks for; the provider's admin decides it when approving.
        level(PROVIDER, id, "{\"accessLevel\":\"view\"}").statusCode(409).body("errors[0].rule", equalTo("decidedOnApproval"));
        level(CONSUMER, id, "{\"accessLevel\":\"update\"}").statusCode(200).body("requestedAccessLevel", equalTo("update"))
                .body("accessLevel", equalTo("update")).body("status", equalTo("pending"));
        Fixtures.act(PROVIDER, id, "approve", "{\"accessLevel\":\"use\"}").statusCode(200).body("accessLevel", equalTo("use"));
        int toldBefore = notices(id).size();

        // Who may, and what.
        level(THIRD, id, "{\"accessLevel\":\"view\"}").statusCode(403);
        level(TestJwt.auditor(), id, "{\"accessLevel\":\"view\"}").statusCode(403);
        level(CONSUMER, id, "{\"accessLevel\":\"update\"}").statusCode(403).contentType("application/problem+json")
                .body("errors[0].field", equalTo("accessLevel")).body("errors[0].rule", equalTo("notRaisedByConsumer"));
        level(PROVIDER, id, "{}").statusCode(400).body("errors[0].field", equalTo("accessLevel"));
        level(PROVIDER, id, "{\"accessLevel\":\"root\"}").statusCode(400).body("errors[0].field", equalTo("accessLevel"))
                .body("errors[0].rule", equalTo("pattern"));
        level(PROVIDER, "00000000-0000-0000-0000-000000000000", "{\"accessLevel\":\"view\"}").statusCode(404);
        assertEquals("use", fedLevel(id));
        assertEquals(toldBefore, notices(id).size(), "refused changes tell nobody");

        // The provider grants more on review; routing and the subscriber learn it; it is audited with before and after.
        level(PROVIDER, id, "{\"accessLevel\":\"share\",\"reason\":\"Được phép cung cấp cho UBND cấp xã\"}").statusCode(200)
                .body("accessLevel", equalTo("share")).body("requestedAccessLevel", equalTo("share"))
                .body("reason", equalTo("Được phép cung cấp cho UBND cấp xã"));
        assertEquals("share", fedLevel(id));
        Map<String, Object> told = notices(id).get(0);
        assertEquals("subscription.access-changed", told.get("event"));
        assertEquals("share", told.get("accessLevel"));
        assertTrue(String.valueOf(told.get("comment")).contains("(was use)"), String.valueOf(told.get("comment")));
        assertTrue(auditPublisher.snapshot().stream().anyMatch(e -> "subscription.access-level".equals(e.action())
                && id.equals(e.resourceId()) && "use".equals(e.before().path("accessLevel").asText())
                && "share".equals(e.after().path("accessLevel").asText())), "audited with before and after");

        // The same level again changes nothing and tells nobody.
        int told2 = notices(id).size();
        level(PROVIDER, id, "{\"accessLevel\":\"share\"}").statusCode(200).body("accessLevel", equalTo("share"));
        assertEquals(told2, notices(id).size());

        // The consumer side may lower its own level, even while suspended.
        Fixtures.act(PROVIDER, id, "suspend", "{}").statusCode(200);
        level(CONSUMER, id, "{\"accessLevel\":\"view\"}").statusCode(200).body("accessLevel", equalTo("view"))
                .body("status", equalTo("suspended"));
        Fixtures.act(PROVIDER, id, "resume", "{}").statusCode(200).body("accessLevel", equalTo("view"));
        assertEquals("view", fedLevel(id), "resuming keeps the lowered level");

        // A carry-over applies for the level granted on the old version.
        Fixtures.published(code, "v2");
        given().auth().oauth2(CONSUMER).contentType(ContentType.JSON).body("{\"toVersion\":\"v2\"}")
                .post("/api/v1/subscriptions/" + id + "/carry-over").then().statusCode(201)
                .body("requestedAccessLevel", equalTo("view")).body("accessLevel", equalTo("view"));

        // The longest reason allowed still fits the subscriber's notification (clipped there), never a 500.
        level(PROVIDER, id, "{\"accessLevel\":\"use\",\"reason\":\"" + "x".repeat(2000) + "\"}").statusCode(200);
        String longest = String.valueOf(notices(id).get(0).get("comment"));
        assertEquals(2000, longest.length());
        assertTrue(longest.startsWith("The access level is now use (was view): xxx") && longest.endsWith("…"), longest);
        level(PROVIDER, id, "{\"accessLevel\":\"use\",\"reason\":\"" + "x".repeat(2001) + "\"}").statusCode(400)
                .body("errors[0].field", equalTo("reason"));

        Fixtures.act(CONSUMER, id, "end", "{}").statusCode(200);
        level(TestJwt.operator(), id, "{\"accessLevel\":\"use\"}").statusCode(409).body("errors[0].rule", equalTo("open"));
    }

    @Test
    void aVersionSaysWhichOperationsNeedWhichLevel() {
        String code = Fixtures.service("shared", false);
        String base = "/api/v1/services/" + code + "/versions";
        String bad = """
                {"version":"v1","upstreams":{"test":"http://127.0.0.1:9/t","production":"https://p.example/api"},
                 "accessRules":[{"path":"records/*","level":"view"},{"methods":["post"],"path":"/search","level":"read"},
                                {"path":"/export/**/all","level":"share"}]}""";
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body(bad).post(base).then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItems("accessRules[0].path", "accessRules[1].methods[0]", "accessRules[1].level",
                        "accessRules[2].path"))
                .body("errors.find { it.field == 'accessRules[1].level' }.rule", equalTo("oneOf"));

        String good = """
                {"version":"v1","upstreams":{"test":"http://127.0.0.1:9/t","production":"https://p.example/api"},
                 "accessRules":[{"methods":["POST"],"path":"/search","level":"view"},{"path":"/export/**","level":"share"}]}""";
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body(good).post(base).then().statusCode(201)
                .body("accessRules[0].methods", equalTo(List.of("POST"))).body("accessRules[1].path", equalTo("/export/**"));
        Fixtures.transition(TestJwt.operator(), code, "v1", "{\"to\":\"testing\"}").statusCode(200);
        Fixtures.transition(TestJwt.operator(), code, "v1", "{\"to\":\"published\"}").statusCode(200);
        String sub = apply(code, "v1", "update").statusCode(201).extract().path("id");
        Fixtures.act(PROVIDER, sub, "approve", "{}").statusCode(200);
        JsonPath snap = snapshot();
        assertEquals("share", snap.getString("routes.find { it.serviceCode == '" + code + "' }.accessRules[1].level"),
                "routing is given the rules");
        assertEquals(List.of("POST"), snap.getList("routes.find { it.serviceCode == '" + code + "' }.accessRules[0].methods"));

        // Live, the owner may still review them, saying why; history and audit say what changed.
        String etag = given().auth().oauth2(PROVIDER).get(base + "/v1").then().statusCode(200).extract().header("ETag");
        String patch = "{\"accessRules\":[{\"path\":\"/export/**\",\"level\":\"update\"}]}";
        given().auth().oauth2(PROVIDER).header("If-Match", etag).contentType("application/merge-patch+json").body(patch)
                .patch(base + "/v1").then().statusCode(409).body("errors[0].field", equalTo("reason"))
                .body("errors[0].rule", equalTo("requiredForAccessChange"));
        given().auth().oauth2(PROVIDER).header("If-Match", etag).contentType("application/merge-patch+json; charset=UTF-8")
                .body("{\"accessRules\":[{\"path\":\"/export/**\",\"level\":\"update\"}],\"reason\":\"Rà soát quý IV\"}")
                .patch(base + "/v1").then().statusCode(200).body("accessRules.size()", equalTo(1))
                .body("accessRules[0].level", equalTo("update"));
        assertEquals("update", snapshot().getString("routes.find { it.serviceCode == '" + code + "' }.accessRules[0].level"));
        // The subscriber is told, with the level it holds: an operation it used may now need more.
        Map<String, Object> told = notices(sub).get(0);
        assertEquals("version.access-changed", told.get("event"));
        assertEquals("update", told.get("accessLevel"));
        assertTrue(String.valueOf(told.get("comment")).contains("Why: Rà soát quý IV"), String.valueOf(told.get("comment")));
        given().auth().oauth2(TestJwt.auditor()).get(base + "/v1/history").then().statusCode(200)
                .body("find { it.action == 'edit' }.changedFields", hasItem("accessRules"));
        assertTrue(auditPublisher.snapshot().stream().anyMatch(e -> "version.update".equals(e.action())
                && e.after().path("accessRules").size() == 1), "audited");
    }
    @Test
    void theOpenApiDocumentSaysWhichLevelEachOperationNeeds() {
        String code = Fixtures.service("shared", false);
        String base = "/api/v1/services/" + code + "/versions";
        String version = """
                {"version":"v1","upstreams":{"test":"http://127.0.0.1:9/t","production":"https://p.example/api"},
                 "accessRules":[{"methods":["POST"],"path":"/search","level":"view"},{"path":"/export/**","level":"share"}],
                 "openapi":{"openapi":"3.0.3","info":{"title":"Hộ tịch","version":"1.0.0"},"paths":{
                   "/citizens/{id}":{"parameters":[{"name":"id","in":"path","required":true,"schema":{"type":"string"}}],
                     "get":{"responses":{"200":{"description":"OK"}}},"put":{"responses":{"200":{"description":"OK"}}}},
                   "/search":{"post":{"x-lgsp-access-level":"share","responses":{"200":{"description":"OK"}}}},
                   "/export/{year}/all":{"get":{"responses":{"200":{"description":"OK"}}}},
                   "/records":{"post":{"responses":{"201":{"description":"Created"}}}}}}}""";
        given().auth().oauth2(TestJwt.operator()).contentType("application/json; charset=UTF-8").body(version).post(base)
                .then().statusCode(201);
        JsonPath doc = given().auth().oauth2(CONSUMER).get(base + "/v1/openapi").then().statusCode(200).extract().jsonPath();
        // By method where no rule matches; a template's parameter matches one segment; the rules first.
        assertEquals("view", doc.getString("paths.'/citizens/{id}'.get.x-lgsp-access-level"));
        assertEquals("update", doc.getString("paths.'/citizens/{id}'.put.x-lgsp-access-level"));
        assertEquals("use", doc.getString("paths.'/records'.post.x-lgsp-access-level"));
        assertEquals("share", doc.getString("paths.'/export/{year}/all'.get.x-lgsp-access-level"));
        // The rules are the one source: a value the provider wrote into the document does not count.
        assertEquals("view", doc.getString("paths.'/search'.post.x-lgsp-access-level"));
        assertEquals(1, doc.getList("paths.'/citizens/{id}'.parameters").size(), "non-operation keys are left as they are");
        // The stored document is as uploaded.
        given().auth().oauth2(TestJwt.operator()).get(base + "/v1").then().statusCode(200)
                .body("openapi.paths.'/citizens/{id}'.get", hasKey("responses"))
                .body("openapi.paths.'/citizens/{id}'.get", not(hasKey("x-lgsp-access-level")));
    }
}
