package vn.lgsp.catalog.maintenance;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import vn.lgsp.catalog.Fixtures;
import vn.lgsp.catalog.RegistryStub;
import vn.lgsp.catalog.TestClock;
import vn.lgsp.catalog.maintenance.service.MaintenanceService;
import vn.lgsp.common.audit.AuditPublisher;
import vn.lgsp.testing.PlatformTestResource;
import vn.lgsp.testing.TestJwt;

/**
 * Maintenance windows (REQUIREMENTS M8, An Giang Art. 17.8): who may announce what, the notice and duration rules,
 * the subscribers told (notification and webhook) on announcing, rescheduling and cancelling, routing's feed, ETags
 * and the audit log.
 */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
@QuarkusTestResource(RegistryStub.class)
class MaintenanceWindowTest {

    private static final String PATH = "/api/v1/maintenance-windows";
    private static final String OPERATOR = TestJwt.operator();
    private static final String PROVIDER = TestJwt.agencyAdmin(RegistryStub.PROVIDER_AGENCY);
    private static final String CONSUMER = TestJwt.agencyAdmin(RegistryStub.CONSUMER_AGENCY);
    private static final String ROUTING = TestJwt.service("routing");

    @Inject
    TestClock clock;

    @Inject
    AuditPublisher auditPublisher;

    @Inject
    MaintenanceService maintenance;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    /** Catalog's now, whole seconds (what the tests compare against). */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    private static String window(String title, String services, String environment, String impact, Instant starts,
            Instant ends, String extra) {
        return "{\"title\":\"" + title + "\",\"description\":\"Nâng cấp máy chủ\""
                + (services == null ? "" : ",\"services\":" + services)
                + (environment == null ? "" : ",\"environment\":\"" + environment + "\"")
                + (impact == null ? "" : ",\"impact\":\"" + impact + "\"")
                + ",\"startsAt\":\"" + starts + "\",\"endsAt\":\"" + ends + "\"" + (extra == null ? "" : "," + extra) + "}";
    }

    private static ValidatableResponse announce(String token, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).post(PATH).then();
    }

    private static ValidatableResponse put(String token, String id, String etag, String body) {
        var req = given().auth().oauth2(token).contentType(ContentType.JSON).body(body);
        if (etag != null) {
            req = req.header("If-Match", etag);
        }
        return req.put(PATH + "/" + id).then();
    }

    private static ValidatableResponse cancel(String token, String id, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).post(PATH + "/" + id + "/cancel").then();
    }

    /** A published service of the provider agency with one approved production subscription; returns its id. */
    private static String subscribedService(String code, String webhook) {
        Fixtures.published(code, "v1");
        String id = given().auth().oauth2(CONSUMER).contentType(ContentType.JSON)
                .body(Fixtures.subscriptionJson(code, "v1", RegistryStub.CONSUMER_SYSTEM, "production", webhook))
                .post("/api/v1/subscriptions").then().statusCode(201).extract().path("id");
        Fixtures.act(PROVIDER, id, "approve", "{}").statusCode(200);
        return id;
    }

    /** The consumer system's notifications about one subscription, newest first. */
    private static List<Map<String, Object>> notices(String subscriptionId) {
        List<Map<String, Object>> all = given().auth().oauth2(CONSUMER).queryParam("consumerSystem", RegistryStub.CONSUMER_SYSTEM)
                .queryParam("size", 100).get("/api/v1/notifications").then().statusCode(200).extract().path("items");
        return all.stream().filter(n -> subscriptionId.equals(n.get("subscriptionId"))).toList();
    }

    private static Map<String, Object> snapshotWindow(String id) {
        JsonPath snapshot = given().auth().oauth2(ROUTING).get("/api/v1/feed/snapshot").then().statusCode(200).extract().jsonPath();
        List<Map<String, Object>> windows = snapshot.getList("maintenance");
        return windows.stream().filter(w -> id.equals(w.get("id"))).findFirst().orElse(null);
    }

    private static long revision() {
        return given().auth().oauth2(ROUTING).get("/api/v1/feed/snapshot").then().statusCode(200).extract().jsonPath()
                .getLong("revision");
    }

    /** The last change-feed entry about the window after {@code since}. */
    private static Map<String, Object> lastChange(long since, String id) {
        List<Map<String, Object>> changes = given().auth().oauth2(ROUTING).queryParam("since", since)
                .get("/api/v1/feed/changes").then().statusCode(200).extract().path("changes");
        List<Map<String, Object>> mine = changes.stream()
                .filter(c -> "maintenance".equals(c.get("kind")) && id.equals(c.get("key"))).toList();
        assertFalse(mine.isEmpty(), "a maintenance change for " + id + " after " + since);
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) mine.get(mine.size() - 1).get("data");
        return data;
    }

    @Test
    void anOperatorAnnouncesAndTheConnectedSubscribersAreToldByNotificationWebhookAndFeed() throws Exception {
        String code = Fixtures.service("shared", false);
        String hook = "maint-" + UUID.randomUUID().toString().substring(0, 8);
        String sub = subscribedService(code, RegistryStub.hookUrl(hook));
        String other = Fixtures.service("shared", false);
        String otherSub = subscribedService(other, null);
        long since = revision();

        Instant starts = now().plus(Duration.ofDays(2));
        Instant ends = starts.plus(Duration.ofHours(4));
        ValidatableResponse created = announce(OPERATOR, window("Nâng cấp CSDL", "[\"" + code + "\"]", "production", null, starts,
                ends, null)).statusCode(201).contentType(ContentType.JSON)
                .header("Location", containsString(PATH + "/")).header("ETag", "\"1\"")
                .body("state", equalTo("scheduled")).body("impact", equalTo("unavailable"))
                .body("services", equalTo(List.of(code))).body("environment", equalTo("production"))
                .body("subscribersNotified", equalTo(1)).body("announcedBy", equalTo("operator-1"))
                .body("announcerAgency", nullValue());
        String id = created.extract().path("id");

        // The subscriber of that service is told, with the window's times; the other service's is not.
        Map<String, Object> told = notices(sub).get(0);
        assertEquals("maintenance.scheduled", told.get("event"));
        assertEquals(id, told.get("maintenanceId"));
        assertEquals(starts, Instant.parse((String) told.get("startsAt")));
        assertEquals(ends, Instant.parse((String) told.get("endsAt")));
        assertTrue(((String) told.get("comment")).contains("Nâng cấp CSDL"), told.toString());
        assertTrue(notices(otherSub).stream().noneMatch(n -> id.equals(n.get("maintenanceId"))), "other services' subscribers are not told");

        // ...and its webhook receives the notification.
        RegistryStub.Delivery delivery = awaitDelivery(hook, "maintenance.scheduled");
        JsonObject payload = new JsonObject(new String(delivery.body(), StandardCharsets.UTF_8));
        assertEquals(id, payload.getString("maintenanceId"));
        assertNotNull(delivery.header("Signature"), "signed like every webhook");

        // routing learns it: snapshot and change feed.
        Map<String, Object> entry = snapshotWindow(id);
        assertNotNull(entry, "the snapshot carries the window");
        assertEquals(List.of(code), entry.get("serviceCodes"));
        assertEquals("unavailable", entry.get("impact"));
        assertEquals(false, entry.get("cancelled"));
        assertEquals(starts, Instant.parse((String) lastChange(since, id).get("startsAt")));

        // Anyone on the platform can read it, a consumer system too; filtered by what it covers.
        given().auth().oauth2(TestJwt.system(RegistryStub.CONSUMER_SYSTEM, RegistryStub.CONSUMER_AGENCY, "production")).queryParam("serviceCode", code).queryParam("size", 100)
                .get(PATH).then().statusCode(200).body("items.id", hasItem(id));
        given().auth().oauth2(CONSUMER).queryParam("serviceCode", other).queryParam("size", 100)
                .get(PATH).then().statusCode(200).body("items.id", not(hasItem(id)));
        given().auth().oauth2(CONSUMER).queryParam("environment", "test").queryParam("size", 100)
                .get(PATH).then().statusCode(200).body("items.id", not(hasItem(id)));
        given().auth().oauth2(TestJwt.auditor()).get(PATH + "/" + id).then().statusCode(200).header("ETag", "\"1\"")
                .body("title", equalTo("Nâng cấp CSDL"));

        assertTrue(auditPublisher.snapshot().stream().anyMatch(e -> "maintenance.announce".equals(e.action())
                && id.equals(e.resourceId()) && "operator-1".equals(e.actor())), "the announcement is audited");
    }

    @Test
    void aWholePlatformWindowConcernsEverySubscriptionAndOnlyOperatorsMayAnnounceIt() {
        String code = Fixtures.service("shared", false);
        String sub = subscribedService(code, null);
        Instant starts = now().plus(Duration.ofDays(3));
        String body = window("Bảo trì nền tảng", null, null, "degraded", starts, starts.plus(Duration.ofHours(2)), null);

        announce(PROVIDER, body).statusCode(403).contentType("application/problem+json");
        announce(TestJwt.auditor(), body).statusCode(403);
        announce(TestJwt.system(RegistryStub.CONSUMER_SYSTEM, RegistryStub.CONSUMER_AGENCY, "production"), body).statusCode(403);
        String id = announce(OPERATOR, body).statusCode(201).body("services", equalTo(List.of()))
                .body("environment", nullValue()).body("impact", equalTo("degraded"))
                .body("subscribersNotified", greaterThanOrEqualTo(1)).extract().path("id");
        // The count belongs to the answer of a change, not to the window.
        given().auth().oauth2(OPERATOR).get(PATH + "/" + id).then().statusCode(200).body("$", not(hasKey("subscribersNotified")));
        assertTrue(notices(sub).stream().anyMatch(n -> id.equals(n.get("maintenanceId"))), "every connected subscriber is told");
    }

    @Test
    void aProviderAnnouncesForItsOwnServicesOnly() {
        String mine = Fixtures.service("shared", false);
        String sub = subscribedService(mine, null);
        String theirs = Fixtures.uniqueCode("svc");
        given().auth().oauth2(OPERATOR).contentType(ContentType.JSON)
                .body(Fixtures.serviceJson(theirs, RegistryStub.CONSUMER_AGENCY, RegistryStub.CONSUMER_SYSTEM, "shared", false))
                .post("/api/v1/services").then().statusCode(201);
        Instant starts = now().plus(Duration.ofDays(2));
        Instant ends = starts.plus(Duration.ofHours(1));

        announce(PROVIDER, window("Bảo trì", "[\"" + mine + "\",\"" + theirs + "\"]", null, null, starts, ends, null))
                .statusCode(403).body("detail", containsString(theirs));
        String id = announce(PROVIDER, window("Bảo trì HTTT dân cư", "[\"" + mine + "\"]", null, null, starts, ends, null))
                .statusCode(201).body("announcerAgency", equalTo(RegistryStub.PROVIDER_AGENCY))
                .body("subscribersNotified", equalTo(1)).extract().path("id");
        assertTrue(notices(sub).stream().anyMatch(n -> id.equals(n.get("maintenanceId"))));

        // Another agency cannot change or cancel it; the operator can.
        String consumerBody = window("Đổi", "[\"" + mine + "\"]", null, null, starts, ends.plusSeconds(600), null);
        put(CONSUMER, id, "\"1\"", consumerBody).statusCode(403);
        cancel(CONSUMER, id, "{\"reason\":\"không\"}").statusCode(403);
        cancel(OPERATOR, id, "{\"reason\":\"Hoãn theo yêu cầu của Sở\"}").statusCode(200).body("state", equalTo("cancelled"));
    }

    @Test
    void badAnnouncementsAreRefusedNamingEachFieldAndRule() {
        String code = Fixtures.service("shared", false);
        Instant now = now();
        Instant soon = now.plus(Duration.ofHours(2));

        // Every rule broken at once is reported at once.
        announce(OPERATOR, "{\"services\":[\"\"],\"environment\":\"staging\",\"impact\":\"down\"}").statusCode(400)
                .contentType("application/problem+json")
                .body("errors.field", hasItem("title")).body("errors.field", hasItem("startsAt"))
                .body("errors.field", hasItem("endsAt"));
        announce(OPERATOR, window("X", "[\"\"]", "staging", "down", soon.plus(Duration.ofDays(2)),
                soon.plus(Duration.ofDays(3)), null)).statusCode(400)
                .body("errors.find { it.field == 'services[0]' }.rule", equalTo("notBlank"))
                .body("errors.find { it.field == 'environment' }.rule", equalTo("enum"))
                .body("errors.find { it.field == 'impact' }.rule", equalTo("enum"));
        // Times: notice, order, length.
        announce(OPERATOR, window("X", "[\"" + code + "\"]", null, null, soon, soon.plus(Duration.ofHours(1)), null))
                .statusCode(400).body("errors[0].field", equalTo("startsAt")).body("errors[0].rule", equalTo("minNotice"))
                .body("errors[0].message", containsString("emergency"));
        Instant later = now.plus(Duration.ofDays(2));
        announce(OPERATOR, window("X", "[\"" + code + "\"]", null, null, later, later, null)).statusCode(400)
                .body("errors[0].field", equalTo("endsAt")).body("errors[0].rule", equalTo("afterStart"));
        announce(OPERATOR, window("X", "[\"" + code + "\"]", null, null, later, later.plus(Duration.ofDays(8)), null))
                .statusCode(400).body("errors[0].field", equalTo("endsAt")).body("errors[0].rule", equalTo("maxDuration"));
        announce(OPERATOR, "{\"title\":\"X\",\"startsAt\":\"tomorrow\",\"endsAt\":\"" + later + "\"}").statusCode(400)
                .contentType("application/problem+json");
        // A year the database cannot keep is refused by name, not wrapped into another date.
        announce(OPERATOR, window("X", "[\"" + code + "\"]", null, null, later, Instant.parse("+999999999-12-31T00:00:00Z"),
                null)).statusCode(400).body("errors.find { it.field == 'endsAt' }.rule", equalTo("calendarDay"));
        // An unknown service, named by its position.
        announce(OPERATOR, window("X", "[\"" + code + "\",\"no-such-service\"]", null, null, later, later.plusSeconds(60), null))
                .statusCode(400).body("errors[0].field", equalTo("services[1]")).body("errors[0].rule", equalTo("exists"));
        // An emergency may start now, but says why.
        announce(OPERATOR, window("Sự cố", "[\"" + code + "\"]", null, null, now, soon, "\"emergency\":true")).statusCode(400)
                .body("errors[0].field", equalTo("reason")).body("errors[0].rule", equalTo("required"));
        announce(OPERATOR, window("Sự cố", "[\"" + code + "\"]", null, null, now.minus(Duration.ofHours(1)), soon,
                "\"emergency\":true,\"reason\":\"Lỗi phần cứng\"")).statusCode(400)
                .body("errors[0].field", equalTo("startsAt")).body("errors[0].rule", equalTo("notPast"));
        announce(OPERATOR, window("Sự cố", "[\"" + code + "\"]", null, null, now, soon,
                "\"emergency\":true,\"reason\":\"Lỗi phần cứng\"")).statusCode(201).body("state", equalTo("in-progress"))
                .body("emergency", equalTo(true)).body("emergencyReason", equalTo("Lỗi phần cứng"));
        // Listing filters are checked too.
        given().auth().oauth2(OPERATOR).queryParam("state", "soon").get(PATH).then().statusCode(400)
                .body("errors[0].field", equalTo("state"));
        given().auth().oauth2(OPERATOR).queryParam("environment", "staging").get(PATH).then().statusCode(400)
                .body("errors[0].field", equalTo("environment"));
        given().auth().oauth2(OPERATOR).get(PATH + "/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void reschedulingNeedsTheETagKeepsTheScopeAndTellsTheSubscribers() {
        String code = Fixtures.service("shared", false);
        String sub = subscribedService(code, null);
        Instant starts = now().plus(Duration.ofDays(2));
        Instant ends = starts.plus(Duration.ofHours(2));
        String id = announce(OPERATOR, window("Nâng cấp", "[\"" + code + "\"]", "production", null, starts, ends, null))
                .statusCode(201).extract().path("id");
        long since = revision();
        Instant later = starts.plus(Duration.ofDays(1));
        String postponed = window("Nâng cấp (dời lịch)", "[\"" + code + "\"]", "production", null, later,
                later.plus(Duration.ofHours(3)), null);

        put(OPERATOR, id, null, postponed).statusCode(428);
        put(OPERATOR, id, "\"7\"", postponed).statusCode(412);
        put(OPERATOR, id, "\"1\"", window("Nâng cấp", "[]", "production", null, later, later.plusSeconds(60), null))
                .statusCode(409).body("errors[0].field", equalTo("services")).body("errors[0].rule", equalTo("fixed"));
        put(OPERATOR, id, "\"1\"", window("Nâng cấp", "[\"" + code + "\"]", "test", null, later, later.plusSeconds(60), null))
                .statusCode(409).body("errors[0].field", equalTo("environment"));
        // Brought forward inside the notice: refused; postponed: fine.
        put(OPERATOR, id, "\"1\"", window("Nâng cấp", "[\"" + code + "\"]", "production", null, now().plus(Duration.ofHours(1)),
                ends, null)).statusCode(400).body("errors[0].rule", equalTo("minNotice"));
        put(OPERATOR, id, "\"1\"", postponed).statusCode(200).header("ETag", "\"2\"")
                .body("title", equalTo("Nâng cấp (dời lịch)")).body("subscribersNotified", equalTo(1));
        Map<String, Object> told = notices(sub).get(0);
        assertEquals("maintenance.rescheduled", told.get("event"));
        assertEquals(later, Instant.parse((String) told.get("startsAt")));
        assertTrue(((String) told.get("comment")).contains("was " + starts), told.toString());
        assertEquals(later, Instant.parse((String) lastChange(since, id).get("startsAt")), "routing is given the new times");

        // A new wording only: nobody is bothered.
        put(OPERATOR, id, "\"2\"", postponed.replace("(dời lịch)", "(dời lịch lần 1)")).statusCode(200)
                .body("subscribersNotified", equalTo(0));
        assertEquals("maintenance.rescheduled", notices(sub).get(0).get("event"));
        assertTrue(auditPublisher.snapshot().stream().anyMatch(e -> "maintenance.update".equals(e.action())
                && id.equals(e.resourceId()) && e.before() != null && e.after() != null), "audited with before and after");
    }

    /**
     * The reminders one subscription received of one window, newest first (whole-platform windows of other tests
     * concern every subscription, and moving the clock makes them due too).
     */
    private static List<Map<String, Object>> reminders(String subscriptionId, String windowId) {
        return notices(subscriptionId).stream().filter(n -> MaintenanceService.STARTING.equals(n.get("event"))
                && windowId.equals(n.get("maintenanceId"))).toList();
    }

    private void remindTwice() {
        // the timer may run a round of its own meanwhile: what counts is what subscribers received, exactly once
        maintenance.remindDue().await().atMost(Duration.ofSeconds(30));
        maintenance.remindDue().await().atMost(Duration.ofSeconds(30));
    }

    @Test
    void subscribersAreRemindedOnceShortlyBeforeTheStartAgainAfterAMoveNeverForACancelledWindow() {
        String code = Fixtures.service("shared", false);
        String sub = subscribedService(code, null);
        Instant starts = now().plus(Duration.ofDays(2));
        String scope = "[\"" + code + "\"]";
        String id = announce(OPERATOR, window("Nâng cấp CSDL", scope, "production", null, starts,
                starts.plus(Duration.ofHours(2)), null)).statusCode(201).extract().path("id");
        remindTwice();
        assertTrue(reminders(sub, id).isEmpty(), "two days ahead: the announcement was enough");

        clock.shift(Duration.ofDays(2).minusMinutes(30));
        remindTwice();
        List<Map<String, Object>> reminded = reminders(sub, id);
        assertEquals(1, reminded.size(), "reminded once, however many rounds: " + reminded);
        assertEquals(id, reminded.get(0).get("maintenanceId"));
        assertEquals(starts, Instant.parse((String) reminded.get(0).get("startsAt")));
        String comment = (String) reminded.get(0).get("comment");
        assertTrue(comment.contains("Nâng cấp CSDL") && comment.contains("starts in 29 minutes"), comment);

        // Postponed by a day: reminded again before the new start, not before.
        Instant later = starts.plus(Duration.ofDays(1));
        put(OPERATOR, id, "\"1\"", window("Nâng cấp CSDL", scope, "production", null, later, later.plus(Duration.ofHours(2)),
                null)).statusCode(200);
        remindTwice();
        assertEquals(1, reminders(sub, id).size(), "the new start is a day away");
        clock.shift(Duration.ofDays(1));
        remindTwice();
        assertEquals(2, reminders(sub, id).size());
        assertEquals(later, Instant.parse((String) reminders(sub, id).get(0).get("startsAt")));

        // An emergency announced to start within the hour: its announcement is the reminder.
        String code2 = Fixtures.service("shared", false);
        String sub2 = subscribedService(code2, null);
        Instant soon = now().plus(Duration.ofMinutes(10));
        String urgent = announce(OPERATOR, window("Sự cố đĩa", "[\"" + code2 + "\"]", null, null, soon,
                soon.plus(Duration.ofHours(1)), "\"emergency\":true,\"reason\":\"Hỏng ổ đĩa\"")).statusCode(201)
                .extract().path("id");
        remindTwice();
        assertTrue(reminders(sub2, urgent).isEmpty(), reminders(sub2, urgent).toString());
        assertTrue(notices(sub2).stream().anyMatch(n -> MaintenanceService.SCHEDULED.equals(n.get("event"))
                && urgent.equals(n.get("maintenanceId"))), "told when announced");

        // A cancelled window reminds nobody.
        String code3 = Fixtures.service("shared", false);
        String sub3 = subscribedService(code3, null);
        Instant next = now().plus(Duration.ofDays(1).plusHours(1));
        String cancelled = announce(OPERATOR, window("Bảo trì", "[\"" + code3 + "\"]", null, null, next,
                next.plus(Duration.ofHours(1)), null)).statusCode(201).extract().path("id");
        cancel(OPERATOR, cancelled, "{\"reason\":\"Hoãn vô thời hạn\"}").statusCode(200);
        clock.shift(Duration.ofDays(1).plusMinutes(30));
        remindTwice();
        assertTrue(reminders(sub3, cancelled).isEmpty(), reminders(sub3, cancelled).toString());
    }

    @Test
    void aWindowInProgressMayOnlyMoveItsEndAndCancellingEndsIt() {
        String code = Fixtures.service("shared", false);
        String sub = subscribedService(code, null);
        Instant starts = now().plus(Duration.ofDays(2));
        Instant ends = starts.plus(Duration.ofHours(2));
        String id = announce(OPERATOR, window("Chuyển máy chủ", "[\"" + code + "\"]", null, null, starts, ends, null))
                .statusCode(201).extract().path("id");

        clock.shift(Duration.ofDays(2).plusMinutes(30));
        given().auth().oauth2(OPERATOR).get(PATH + "/" + id).then().body("state", equalTo("in-progress"));
        given().auth().oauth2(OPERATOR).queryParam("state", "in-progress").queryParam("size", 100).get(PATH).then()
                .body("items.id", hasItem(id));
        put(OPERATOR, id, "\"1\"", window("Chuyển máy chủ", "[\"" + code + "\"]", null, null, starts.plusSeconds(600),
                ends, null)).statusCode(400).body("errors[0].field", equalTo("startsAt")).body("errors[0].rule", equalTo("started"));
        put(OPERATOR, id, "\"1\"", window("Chuyển máy chủ", "[\"" + code + "\"]", null, null, starts,
                starts.plusSeconds(60), null)).statusCode(400).body("errors[0].field", equalTo("endsAt"))
                .body("errors[0].rule", equalTo("notPast"));
        put(OPERATOR, id, "\"1\"", window("Chuyển máy chủ", "[\"" + code + "\"]", null, null, starts,
                ends.plus(Duration.ofHours(1)), null)).statusCode(200).body("state", equalTo("in-progress"));

        long since = revision();
        cancel(OPERATOR, id, "{}").statusCode(400).body("errors[0].field", equalTo("reason"));
        cancel(OPERATOR, id, "{\"reason\":\"Xong sớm\"}").statusCode(200).body("state", equalTo("cancelled"))
                .body("cancelReason", equalTo("Xong sớm")).body("subscribersNotified", equalTo(1));
        Map<String, Object> told = notices(sub).get(0);
        assertEquals("maintenance.cancelled", told.get("event"));
        assertTrue(((String) told.get("comment")).contains("ended early: Xong sớm"), told.toString());
        assertEquals(true, lastChange(since, id).get("cancelled"), "routing withdraws it");
        assertNull(snapshotWindow(id), "a cancelled window is not in the snapshot");

        // History cannot change.
        cancel(OPERATOR, id, "{\"reason\":\"lần nữa\"}").statusCode(409).body("errors[0].field", equalTo("state"));
        put(OPERATOR, id, "\"3\"", window("X", "[\"" + code + "\"]", null, null, starts, ends.plus(Duration.ofHours(2)), null))
                .statusCode(409);
        given().auth().oauth2(OPERATOR).queryParam("state", "cancelled").queryParam("size", 100).get(PATH).then()
                .body("items.id", hasItem(id));
        assertTrue(auditPublisher.snapshot().stream().anyMatch(e -> "maintenance.cancel".equals(e.action())
                && id.equals(e.resourceId())), "the cancellation is audited");
    }

    @Test
    void aCompletedWindowLeavesTheSnapshotAndCannotBeChanged() {
        String code = Fixtures.service("shared", false);
        Instant starts = now().plus(Duration.ofDays(2));
        Instant ends = starts.plus(Duration.ofHours(1));
        String id = announce(OPERATOR, window("Ngắn", "[\"" + code + "\"]", null, null, starts, ends, null))
                .statusCode(201).extract().path("id");
        assertNotNull(snapshotWindow(id));

        clock.shift(Duration.ofDays(2).plusHours(2));
        given().auth().oauth2(OPERATOR).get(PATH + "/" + id).then().body("state", equalTo("completed"));
        assertNull(snapshotWindow(id), "over: routing no longer needs it");
        given().auth().oauth2(OPERATOR).queryParam("size", 100).get(PATH).then().body("items.id", not(hasItem(id)));
        given().auth().oauth2(OPERATOR).queryParam("state", "completed").queryParam("size", 100).get(PATH).then()
                .body("items.id", hasItem(id));
        cancel(OPERATOR, id, "{\"reason\":\"muộn\"}").statusCode(409);
    }

    private static RegistryStub.Delivery awaitDelivery(String hookPath, String event) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            for (RegistryStub.Delivery d : RegistryStub.DELIVERIES) {
                if (d.path().endsWith("/" + hookPath) && event.equals(d.header("X-LGSP-Event"))) {
                    return d;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + event + " webhook delivery to " + hookPath);
    }
}
