package vn.lgsp.catalog.subscription;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import vn.lgsp.catalog.Fixtures;
import vn.lgsp.catalog.RegistryStub;
import vn.lgsp.catalog.TestClock;
import vn.lgsp.catalog.subscription.service.SubscriptionExpiry;
import vn.lgsp.testing.PlatformTestResource;
import vn.lgsp.testing.TestJwt;

/**
 * The period of use a registration states (REQUIREMENTS C4): the provider side moves its end; catalog tells the
 * subscriber ahead of the end, ends the subscription after its last day and tells routing through the feed; an
 * application whose period is over cannot be approved as it is.
 */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
@QuarkusTestResource(RegistryStub.class)
class SubscriptionPeriodTest {

    private static final String CONSUMER = TestJwt.agencyAdmin(RegistryStub.CONSUMER_AGENCY);
    private static final String PROVIDER = TestJwt.agencyAdmin(RegistryStub.PROVIDER_AGENCY);
    private static final String THIRD = TestJwt.agencyAdmin(RegistryStub.THIRD_AGENCY);
    private static final String ROUTING = TestJwt.service("routing");

    @Inject
    SubscriptionExpiry expiry;

    @Inject
    TestClock clock;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    private static String apply(String code, LocalDate start, LocalDate end) {
        String body = Fixtures.subscriptionJson(code, "v1", RegistryStub.CONSUMER_SYSTEM, "production", null)
                .replace("\"periodStart\":\"" + Fixtures.today() + "\"", "\"periodStart\":\"" + start + "\"")
                .replace("\"periodEnd\":\"" + Fixtures.today().plusYears(1) + "\"", "\"periodEnd\":\"" + end + "\"");
        return given().auth().oauth2(CONSUMER).contentType(ContentType.JSON).body(body).post("/api/v1/subscriptions")
                .then().statusCode(201).body("periodEnd", equalTo(end.toString())).extract().path("id");
    }

    private static io.restassured.response.ValidatableResponse period(String token, String id, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .put("/api/v1/subscriptions/" + id + "/period").then();
    }

    /** The consumer system's notifications about one subscription, newest first. */
    private static List<Map<String, Object>> notices(String id) {
        List<Map<String, Object>> all = given().auth().oauth2(CONSUMER).queryParam("consumerSystem", RegistryStub.CONSUMER_SYSTEM)
                .queryParam("size", 100).get("/api/v1/notifications").then().statusCode(200).extract().path("items");
        return all.stream().filter(n -> id.equals(n.get("subscriptionId"))).toList();
    }

    private static Map<String, Object> feedEntry(String id) {
        JsonPath snapshot = given().auth().oauth2(ROUTING).get("/api/v1/feed/snapshot").then().statusCode(200)
                .extract().jsonPath();
        List<Map<String, Object>> subs = snapshot.getList("subscriptions");
        return subs.stream().filter(s -> id.equals(s.get("id"))).findFirst().orElse(null);
    }

    @Test
    void theProviderSideMovesTheEndAndTheSubscriberIsTold() {
        String code = Fixtures.service("shared", false);
        Fixtures.published(code, "v1");
        LocalDate today = Fixtures.today();
        String id = apply(code, today.minusDays(10), today.plusDays(60));
        Fixtures.act(PROVIDER, id, "approve", "{}").statusCode(200);
        assertEquals(today.plusDays(60).toString(), feedEntry(id).get("periodEnd"), "routing is given the period");
        assertEquals(today.minusDays(10).toString(), feedEntry(id).get("periodStart"));

        // Who may: the provider side only.
        String later = "{\"periodEnd\":\"" + today.plusDays(400) + "\",\"reason\":\"Gia hạn\"}";
        period(CONSUMER, id, later).statusCode(403);
        period(THIRD, id, later).statusCode(403);
        period(TestJwt.auditor(), id, later).statusCode(403);
        // What: a date, not before the start, not in the past.
        period(PROVIDER, id, "{}").statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("periodEnd"));
        period(PROVIDER, id, "{\"periodEnd\":\"soon\"}").statusCode(400).contentType("application/problem+json");
        period(PROVIDER, id, "{\"periodEnd\":\"" + today.minusDays(11) + "\"}").statusCode(400)
                .body("errors[0].field", equalTo("periodEnd")).body("errors[0].rule", equalTo("notBeforeStart"));
        period(PROVIDER, id, "{\"periodEnd\":\"" + today.minusDays(1) + "\"}").statusCode(400)
                .body("errors[0].field", equalTo("periodEnd")).body("errors[0].rule", equalTo("notPast"));

        period(PROVIDER, id, later).statusCode(200).body("periodEnd", equalTo(today.plusDays(400).toString()))
                .body("status", equalTo("active")).body("reason", equalTo("Gia hạn"));
        assertEquals(today.plusDays(400).toString(), feedEntry(id).get("periodEnd"), "routing learns the new end");
        Map<String, Object> told = notices(id).get(0);
        assertEquals("subscription.period-changed", told.get("event"));
        assertEquals(today.plusDays(400).toString(), told.get("periodEnd"));

        // Shortened to end today by an operator; an ended subscription has no period left to change.
        period(TestJwt.operator(), id, "{\"periodEnd\":\"" + today + "\"}").statusCode(200)
                .body("periodEnd", equalTo(today.toString()));
        Fixtures.act(CONSUMER, id, "end", "{}").statusCode(200);
        period(PROVIDER, id, later).statusCode(409);
        period(PROVIDER, "00000000-0000-0000-0000-000000000000", later).statusCode(404);
    }

    @Test
    void subscribersAreToldOnceAheadThenTheSubscriptionEndsAfterItsLastDay() {
        String code = Fixtures.service("shared", false);
        Fixtures.published(code, "v1");
        LocalDate today = Fixtures.today();
        String id = apply(code, today.minusDays(10), today.plusDays(5));
        Fixtures.act(PROVIDER, id, "approve", "{}").statusCode(200);

        expiry.sweep().await().atMost(Duration.ofSeconds(30));
        expiry.sweep().await().atMost(Duration.ofSeconds(30));
        List<Map<String, Object>> expiring = notices(id).stream()
                .filter(n -> SubscriptionExpiry.EXPIRING.equals(n.get("event"))).toList();
        assertEquals(1, expiring.size(), "told once, however many sweeps: " + expiring);
        assertEquals(today.plusDays(5).toString(), expiring.get(0).get("periodEnd"));
        given().auth().oauth2(CONSUMER).get("/api/v1/subscriptions/" + id).then().body("status", equalTo("active"));

        // The last day itself is still a day of use.
        clock.shift(Duration.ofDays(5));
        expiry.sweep().await().atMost(Duration.ofSeconds(30));
        given().auth().oauth2(CONSUMER).get("/api/v1/subscriptions/" + id).then().body("status", equalTo("active"));

        // The day after: ended by catalog, the subscriber told, routing's snapshot without it.
        clock.shift(Duration.ofDays(1));
        Object revision = given().auth().oauth2(ROUTING).get("/api/v1/feed/snapshot").then().statusCode(200)
                .extract().path("revision");
        expiry.sweep().await().atMost(Duration.ofSeconds(30));
        given().auth().oauth2(CONSUMER).get("/api/v1/subscriptions/" + id).then().body("status", equalTo("ended"))
                .body("decidedBy", equalTo("catalog"))
                .body("reason", equalTo("period of use ended on " + today.plusDays(5)));
        Map<String, Object> expired = notices(id).get(0);
        assertEquals(SubscriptionExpiry.EXPIRED, expired.get("event"));
        assertEquals("active", expired.get("fromStatus"));
        assertEquals("ended", expired.get("toStatus"));
        assertEquals(null, feedEntry(id), "no longer among routing's active subscriptions");
        given().auth().oauth2(ROUTING).queryParam("since", revision).get("/api/v1/feed/changes").then().statusCode(200)
                .body("changes.findAll { it.key == '" + id + "' }.data.status", hasItem("ended"));
    }

    @Test
    void aSuspendedSubscriptionWhosePeriodIsOverIsNotResumedAsItIs() {
        String code = Fixtures.service("shared", false);
        Fixtures.published(code, "v1");
        LocalDate today = Fixtures.today();
        String id = apply(code, today, today.plusDays(2));
        Fixtures.act(PROVIDER, id, "approve", "{}").statusCode(200);
        Fixtures.act(PROVIDER, id, "suspend", "{\"reason\":\"Kiểm tra an toàn\"}").statusCode(200);
        clock.shift(Duration.ofDays(3));
        Fixtures.act(PROVIDER, id, "resume", "{}").statusCode(409).body("errors[0].field", equalTo("periodEnd"))
                .body("errors[0].rule", equalTo("notPast"));
        given().auth().oauth2(CONSUMER).get("/api/v1/subscriptions/" + id).then().body("status", not(equalTo("active")));
        period(PROVIDER, id, "{\"periodEnd\":\"" + today.plusDays(30) + "\"}").statusCode(200);
        Fixtures.act(PROVIDER, id, "resume", "{}").statusCode(200).body("status", equalTo("active"));
    }

    @Test
    void anApplicationWhosePeriodIsOverIsNotApprovedAsItIs() {
        String code = Fixtures.service("shared", false);
        Fixtures.published(code, "v1");
        LocalDate today = Fixtures.today();
        String id = apply(code, today, today.plusDays(2));
        clock.shift(Duration.ofDays(3));
        Fixtures.act(PROVIDER, id, "approve", "{}").statusCode(409).body("errors[0].field", equalTo("periodEnd"))
                .body("errors[0].rule", equalTo("notPast"));
        // A pending application is never ended by the sweep: the provider side decides on it.
        expiry.sweep().await().atMost(Duration.ofSeconds(30));
        given().auth().oauth2(CONSUMER).get("/api/v1/subscriptions/" + id).then().body("status", equalTo("pending"));
        period(PROVIDER, id, "{\"periodEnd\":\"" + today.plusDays(30) + "\"}").statusCode(200);
        Fixtures.act(PROVIDER, id, "approve", "{}").statusCode(200).body("status", equalTo("active"))
                .body("periodEnd", not(equalTo(today.plusDays(2).toString())));
    }
}
