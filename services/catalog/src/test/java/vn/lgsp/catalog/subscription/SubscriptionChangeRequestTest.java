package vn.lgsp.catalog.subscription;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.lgsp.catalog.Fixtures;
import vn.lgsp.catalog.RegistryStub;
import vn.lgsp.common.audit.AuditPublisher;
import vn.lgsp.testing.PlatformTestResource;
import vn.lgsp.testing.TestJwt;

/**
 * What the consumer side cannot change itself — a higher access level (A3), a later end of its period of use (C4) — it
 * asks the provider side for; the provider grants all or less, or refuses with a reason; the subscriber is told,
 * routing learns the new terms through the feed, and every step is audited.
 */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
@QuarkusTestResource(RegistryStub.class)
class SubscriptionChangeRequestTest {

    private static final String CONSUMER = TestJwt.agencyAdmin(RegistryStub.CONSUMER_AGENCY);
    private static final String PROVIDER = TestJwt.agencyAdmin(RegistryStub.PROVIDER_AGENCY);
    private static final String THIRD = TestJwt.agencyAdmin(RegistryStub.THIRD_AGENCY);
    private static final String ROUTING = TestJwt.service("routing");

    @Inject
    AuditPublisher auditPublisher;

    /** An active subscription at level use, its period ending a year from today. */
    private static String active() {
        String code = Fixtures.service("shared", false);
        Fixtures.published(code, "v1");
        String id = Fixtures.subscribe(code, "v1", "production", null);
        Fixtures.act(PROVIDER, id, "approve", "{}").statusCode(200).body("accessLevel", equalTo("use"));
        return id;
    }

    private static ValidatableResponse ask(String token, String subscriptionId, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .post("/api/v1/subscriptions/" + subscriptionId + "/change-requests").then();
    }

    private static ValidatableResponse decide(String token, String requestId, String action, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .post("/api/v1/change-requests/" + requestId + "/" + action).then();
    }

    private static Map<String, Object> fed(String subscriptionId) {
        List<Map<String, Object>> subs = given().auth().oauth2(ROUTING).get("/api/v1/feed/snapshot").then().statusCode(200)
                .extract().jsonPath().getList("subscriptions");
        return subs.stream().filter(s -> subscriptionId.equals(s.get("id"))).findFirst().orElseThrow();
    }

    private static List<Map<String, Object>> notices(String subscriptionId) {
        List<Map<String, Object>> all = given().auth().oauth2(CONSUMER).queryParam("consumerSystem", RegistryStub.CONSUMER_SYSTEM)
                .queryParam("size", 100).get("/api/v1/notifications").then().statusCode(200).extract().path("items");
        return all.stream().filter(n -> subscriptionId.equals(n.get("subscriptionId"))).toList();
    }

    private static List<String> inbox(String token, String status) {
        return given().auth().oauth2(token).queryParam("status", status).queryParam("size", 100)
                .get("/api/v1/change-requests").then().statusCode(200).extract().path("items.id");
    }

    @Test
    void theConsumerAsksAndTheProviderGrantsAllOrLess() {
        String id = active();
        LocalDate end = Fixtures.today().plusYears(1);

        // What cannot be asked, each naming its field and rule; nothing is stored.
        ask(CONSUMER, id, "{}").statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("accessLevel")).body("errors.rule", hasItem("accessLevelOrPeriodEnd"))
                .body("errors.field", hasItem("reason")).body("errors.rule", hasItem("required"));
        ask(CONSUMER, id, "{\"accessLevel\":\"root\",\"reason\":\"x\"}").statusCode(400)
                .body("errors[0].field", equalTo("accessLevel")).body("errors[0].rule", equalTo("pattern"));
        ask(CONSUMER, id, "{\"periodEnd\":\"31/12/2027\",\"reason\":\"x\"}").statusCode(400)
                .contentType("application/problem+json");
        ask(CONSUMER, id, "{\"accessLevel\":\"use\",\"reason\":\"x\"}").statusCode(422)
                .body("errors[0].field", equalTo("accessLevel")).body("errors[0].rule", equalTo("aboveCurrent"));
        ask(CONSUMER, id, "{\"accessLevel\":\"view\",\"reason\":\"x\"}").statusCode(422)
                .body("errors[0].rule", equalTo("aboveCurrent")).body("errors[0].message", containsString("access-level"));
        ask(CONSUMER, id, "{\"periodEnd\":\"" + end + "\",\"reason\":\"x\"}").statusCode(422)
                .body("errors[0].field", equalTo("periodEnd")).body("errors[0].rule", equalTo("afterCurrent"));
        ask(CONSUMER, id, "{\"accessLevel\":\"share\",\"reason\":\"" + "x".repeat(2001) + "\"}").statusCode(400)
                .body("errors[0].field", equalTo("reason"));
        ask(CONSUMER, id, "{\"periodEnd\":\"+999999999-12-31\",\"reason\":\"x\"}").statusCode(400)
                .body("errors[0].field", equalTo("periodEnd")).body("errors[0].rule", equalTo("calendarDay"));
        // A character the database cannot store is the caller's mistake, told as such, not a 500.
        ask(CONSUMER, id, "{\"accessLevel\":\"share\",\"reason\":\"a\\u0000b\"}").statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("cannot be stored"));
        given().auth().oauth2(CONSUMER).queryParam("subscriptionId", "not-a-uuid").get("/api/v1/change-requests").then()
                .statusCode(400).body("errors[0].field", equalTo("subscriptionId")).body("errors[0].rule", equalTo("uuid"));
        // Only the consumer side asks.
        ask(PROVIDER, id, "{\"accessLevel\":\"share\",\"reason\":\"x\"}").statusCode(403);
        ask(THIRD, id, "{\"accessLevel\":\"share\",\"reason\":\"x\"}").statusCode(403);
        ask(CONSUMER, "00000000-0000-0000-0000-000000000000", "{\"accessLevel\":\"share\",\"reason\":\"x\"}").statusCode(404);
        assertEquals(0, (int) given().auth().oauth2(CONSUMER).queryParam("subscriptionId", id).get("/api/v1/change-requests")
                .then().statusCode(200).extract().path("total"));

        String asked = "{\"accessLevel\":\"share\",\"periodEnd\":\"" + end.plusYears(1)
                + "\",\"reason\":\"Cung cấp lại cho UBND cấp xã; gia hạn theo kế hoạch 2027\"}";
        String rid = ask(CONSUMER, id, asked).statusCode(201).header("Location", containsString("/api/v1/change-requests/"))
                .body("status", equalTo("pending")).body("accessLevel", equalTo("share"))
                .body("periodEnd", equalTo(end.plusYears(1).toString())).body("fromAccessLevel", equalTo("use"))
                .body("fromPeriodEnd", equalTo(end.toString())).body("subscriptionId", equalTo(id))
                .body("grantedAccessLevel", nullValue()).extract().path("id");
        ask(CONSUMER, id, asked).statusCode(409).contentType("application/problem+json")
                .body("errors[0].field", equalTo("subscriptionId")).body("errors[0].rule", equalTo("onePending"));

        // Asking changes nothing yet; the provider sees it in its inbox, a third agency neither sees nor finds it.
        assertEquals("use", fed(id).get("accessLevel"));
        assertTrue(inbox(PROVIDER, "pending").contains(rid));
        assertTrue(inbox(CONSUMER, "pending").contains(rid));
        assertTrue(!inbox(THIRD, "pending").contains(rid));
        given().auth().oauth2(THIRD).get("/api/v1/change-requests/" + rid).then().statusCode(404);
        given().auth().oauth2(TestJwt.auditor()).get("/api/v1/change-requests/" + rid).then().statusCode(200);
        given().auth().oauth2(PROVIDER).queryParam("status", "open").get("/api/v1/change-requests").then().statusCode(400)
                .body("errors[0].field", equalTo("status"));

        // Only the provider side decides, and within what was asked.
        decide(CONSUMER, rid, "approve", "{}").statusCode(403);
        decide(THIRD, rid, "approve", "{}").statusCode(403);
        decide(PROVIDER, rid, "approve", "{\"accessLevel\":\"view\"}").statusCode(422)
                .body("errors[0].field", equalTo("accessLevel")).body("errors[0].rule", equalTo("notBelowCurrent"));
        decide(PROVIDER, rid, "approve", "{\"periodEnd\":\"" + end.plusYears(2) + "\"}").statusCode(422)
                .body("errors[0].field", equalTo("periodEnd")).body("errors[0].rule", equalTo("notAfterRequested"));
        decide(PROVIDER, rid, "approve", "{\"periodEnd\":\"" + end.minusDays(1) + "\"}").statusCode(422)
                .body("errors[0].rule", equalTo("notBeforeCurrent"));
        given().auth().oauth2(CONSUMER).get("/api/v1/subscriptions/" + id).then().body("accessLevel", equalTo("use"))
                .body("periodEnd", equalTo(end.toString()));
        int toldBefore = notices(id).size();

        // Less than asked: update for six more months.
        LocalDate granted = end.plusMonths(6);
        decide(PROVIDER, rid, "approve", "{\"accessLevel\":\"update\",\"periodEnd\":\"" + granted
                + "\",\"reason\":\"Chưa cần chia sẻ lại; gia hạn 6 tháng\"}").statusCode(200)
                .body("status", equalTo("approved")).body("grantedAccessLevel", equalTo("update"))
                .body("grantedPeriodEnd", equalTo(granted.toString())).body("decidedBy", org.hamcrest.Matchers.notNullValue())
                .body("decisionReason", equalTo("Chưa cần chia sẻ lại; gia hạn 6 tháng"));
        given().auth().oauth2(CONSUMER).get("/api/v1/subscriptions/" + id).then().body("accessLevel", equalTo("update"))
                .body("requestedAccessLevel", equalTo("share")).body("periodEnd", equalTo(granted.toString()));
        Map<String, Object> entry = fed(id);
        assertEquals("update", entry.get("accessLevel"), "routing enforces the level granted");
        assertEquals(granted.toString(), entry.get("periodEnd"), "routing serves the period granted");
        List<Map<String, Object>> told = notices(id);
        assertEquals(toldBefore + 1, told.size());
        assertEquals("subscription.change-approved", told.get(0).get("event"));
        assertEquals("update", told.get(0).get("accessLevel"));
        assertEquals(granted.toString(), told.get(0).get("periodEnd"));
        String comment = String.valueOf(told.get(0).get("comment"));
        assertTrue(comment.contains("access level update (was use)") && comment.contains("(was " + end + ")")
                && comment.contains("gia hạn 6 tháng"), comment);
        assertTrue(auditPublisher.snapshot().stream().anyMatch(e -> "change-request.approve".equals(e.action())
                && rid.equals(e.resourceId()) && "pending".equals(e.before().path("changeRequest").path("status").asText())
                && "use".equals(e.before().path("subscription").path("accessLevel").asText())
                && "update".equals(e.after().path("subscription").path("accessLevel").asText())), "audited with before and after");
        assertTrue(auditPublisher.snapshot().stream().anyMatch(e -> "change-request.create".equals(e.action())
                && rid.equals(e.resourceId())), "asking is audited");

        // Decided once.
        decide(PROVIDER, rid, "approve", "{}").statusCode(409);
        decide(PROVIDER, rid, "reject", "{\"reason\":\"x\"}").statusCode(409);
        decide(CONSUMER, rid, "withdraw", "{}").statusCode(409);
        assertTrue(!inbox(PROVIDER, "pending").contains(rid));
        assertTrue(inbox(PROVIDER, "approved").contains(rid));
    }

    @Test
    void aRequestIsRejectedWithdrawnOrLapses() {
        String id = active();
        LocalDate end = Fixtures.today().plusYears(1);

        // Rejected with a reason the consumer is told; the subscription keeps its terms.
        String first = ask(CONSUMER, id, "{\"periodEnd\":\"" + end.plusYears(1) + "\",\"reason\":\"Gia hạn\"}")
                .statusCode(201).extract().path("id");
        decide(PROVIDER, first, "reject", "{}").statusCode(400).body("errors[0].field", equalTo("reason"))
                .body("errors[0].rule", equalTo("required"));
        decide(CONSUMER, first, "reject", "{\"reason\":\"x\"}").statusCode(403);
        decide(PROVIDER, first, "reject", "{\"reason\":\"Chờ kết quả đánh giá an toàn thông tin\"}").statusCode(200)
                .body("status", equalTo("rejected")).body("decisionReason", equalTo("Chờ kết quả đánh giá an toàn thông tin"))
                .body("grantedPeriodEnd", nullValue());
        Map<String, Object> told = notices(id).get(0);
        assertEquals("subscription.change-rejected", told.get("event"));
        assertTrue(String.valueOf(told.get("comment")).contains("period of use to " + end.plusYears(1))
                && String.valueOf(told.get("comment")).contains("Chờ kết quả đánh giá"), String.valueOf(told.get("comment")));
        assertEquals(end.toString(), fed(id).get("periodEnd"));
        assertTrue(auditPublisher.snapshot().stream().anyMatch(e -> "change-request.reject".equals(e.action())
                && first.equals(e.resourceId())));

        // A term not asked for cannot be granted; the consumer withdraws (the provider cannot), nobody is told.
        String second = ask(CONSUMER, id, "{\"periodEnd\":\"" + end.plusMonths(3) + "\",\"reason\":\"Gia hạn ngắn\"}")
                .statusCode(201).extract().path("id");
        decide(PROVIDER, second, "approve", "{\"accessLevel\":\"update\"}").statusCode(422)
                .body("errors[0].field", equalTo("accessLevel")).body("errors[0].rule", equalTo("notRequested"));
        decide(PROVIDER, second, "withdraw", "{}").statusCode(403);
        int toldBefore = notices(id).size();
        decide(CONSUMER, second, "withdraw", "{\"reason\":\"Đã có kế hoạch khác\"}").statusCode(200)
                .body("status", equalTo("withdrawn"));
        assertEquals(toldBefore, notices(id).size());
        assertTrue(auditPublisher.snapshot().stream().anyMatch(e -> "change-request.withdraw".equals(e.action())
                && second.equals(e.resourceId())));

        // A term met meanwhile (the provider raised the level itself) does not stand in the way of the other one.
        String met = ask(CONSUMER, id, "{\"accessLevel\":\"update\",\"periodEnd\":\"" + end.plusMonths(1)
                + "\",\"reason\":\"Cập nhật và gia hạn\"}").statusCode(201).extract().path("id");
        given().auth().oauth2(PROVIDER).contentType(ContentType.JSON).body("{\"accessLevel\":\"share\"}")
                .put("/api/v1/subscriptions/" + id + "/access-level").then().statusCode(200);
        decide(PROVIDER, met, "approve", "{\"accessLevel\":\"update\"}").statusCode(422)
                .body("errors[0].rule", equalTo("notBelowCurrent"));
        decide(PROVIDER, met, "approve", "{}").statusCode(200).body("grantedAccessLevel", equalTo("share"))
                .body("grantedPeriodEnd", equalTo(end.plusMonths(1).toString()));
        assertEquals("share", fed(id).get("accessLevel"));
        assertEquals(end.plusMonths(1).toString(), fed(id).get("periodEnd"));
        assertTrue(String.valueOf(notices(id).get(0).get("comment")).contains("access level share (unchanged)"));

        // A request still pending when its subscription ends lapses, and cannot be approved afterwards.
        String third = ask(CONSUMER, id, "{\"periodEnd\":\"" + end.plusYears(2) + "\",\"reason\":\"Gia hạn dài\"}")
                .statusCode(201).extract().path("id");
        Fixtures.act(CONSUMER, id, "end", "{\"reason\":\"Hệ thống ngừng hoạt động\"}").statusCode(200);
        given().auth().oauth2(PROVIDER).get("/api/v1/change-requests/" + third).then().statusCode(200)
                .body("status", equalTo("lapsed")).body("decisionReason", containsString("ended"));
        decide(PROVIDER, third, "approve", "{}").statusCode(409);
        given().auth().oauth2(TestJwt.operator()).queryParam("subscriptionId", id).get("/api/v1/change-requests").then()
                .statusCode(200).body("total", equalTo(4)).body("items.status", not(hasItem("pending")));

        // Nothing is asked of a subscription that is not in use: an application changes what it asks for itself.
        String code = Fixtures.service("shared", false);
        Fixtures.published(code, "v1");
        String pending = Fixtures.subscribe(code, "v1", "production", null);
        ask(CONSUMER, pending, "{\"accessLevel\":\"update\",\"reason\":\"x\"}").statusCode(409)
                .body("errors[0].rule", equalTo("activeOrSuspended"));
        ask(CONSUMER, id, "{\"accessLevel\":\"update\",\"reason\":\"x\"}").statusCode(409);
    }
}
