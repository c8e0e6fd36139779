package vn.lgsp.registry.sync;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import vn.lgsp.registry.AuthStub;
import vn.lgsp.registry.AuthStub.SyncCall;
import vn.lgsp.registry.Fixtures;
import vn.lgsp.registry.sync.repository.AgencySyncRepository;
import vn.lgsp.registry.sync.repository.AgencySyncRepository.Item;
import vn.lgsp.testing.PlatformTestResource;
import vn.lgsp.testing.TestJwt;

/**
 * Agency changes reach auth and catalog: a system moved by a merge, a split, by hand, or with its agency's
 * re-issued code, is announced to both with the code it has now; a re-issued code is announced to auth for its
 * accounts; a peer that refuses or is unreachable gets it again until it accepts, and operators see what waits.
 */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
@QuarkusTestResource(AuthStub.class)
class AgencySyncTest {

    @Inject
    AgencySyncRepository outbox;

    @Inject
    Pool pool;

    @AfterEach
    void peersBack() {
        AuthStub.SYNC_MODE.put("auth", "ok");
        AuthStub.SYNC_MODE.put("catalog", "ok");
    }

    private static List<SyncCall> calls(String target, String path) {
        return AuthStub.SYNC_CALLS.stream().filter(c -> c.target().equals(target) && c.path().equals(path)).toList();
    }

    private static String systemPath(String system) {
        return "/api/v1/systems/" + system + "/agency";
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new AssertionError("not within 10 s: " + what);
    }

    /** Both peers were told that {@code system} belongs to {@code agency}, with registry's service token. */
    private static void awaitTold(String system, String agency) {
        for (String target : List.of("auth", "catalog")) {
            await(target + " told " + system + " → " + agency, () -> calls(target, systemPath(system)).stream()
                    .anyMatch(c -> agency.equals(c.body().getString("agencyCode"))));
            assertTrue(calls(target, systemPath(system)).stream()
                    .allMatch(c -> ("Bearer " + AuthStub.SERVICE_TOKEN).equals(c.authorization())));
        }
    }

    private static List<Map<String, Object>> waiting() {
        return given().auth().oauth2(TestJwt.operator()).get("/api/v1/agency-sync").then().statusCode(200).extract().jsonPath()
                .getList("$");
    }

    private static boolean waitingFor(String system) {
        return waiting().stream().anyMatch(r -> system.equals(r.get("systemCode")));
    }

    @Test
    void aMergeTellsAuthAndCatalogWhereEachSystemInUseNowBelongs() {
        String from = Fixtures.agency("Sở Thông tin và Truyền thông", null);
        String into = Fixtures.agency("Sở Khoa học và Công nghệ", null);
        String active = Fixtures.system(from, false);
        String retired = Fixtures.system(from, false);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body("{\"comment\":\"Thay thế\"}")
                .post("/api/v1/systems/" + retired + "/retire").then().statusCode(200);

        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"intoCode\":\"" + into + "\",\"comment\":\"Hợp nhất\"}").post("/api/v1/agencies/" + from + "/merge").then()
                .statusCode(200);

        awaitTold(active, into);
        await("outbox empty for " + active, () -> !waitingFor(active));
        assertTrue(calls("auth", systemPath(retired)).isEmpty() && calls("catalog", systemPath(retired)).isEmpty(),
                "a retired system stays with its old agency, as history");
    }

    @Test
    void aSplitAndAMoveByHandAreAnnouncedWithTheAgencyChosen() {
        String split = Fixtures.agency("Sở Văn hóa, Thể thao và Du lịch", null);
        String culture = Fixtures.agency("Sở Văn hóa", null);
        String tourism = Fixtures.agency("Sở Du lịch", null);
        String museum = Fixtures.system(split, false);
        String travel = Fixtures.system(split, false);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"successorCodes\":[\"" + culture + "\",\"" + tourism + "\"],\"systems\":{\"" + museum + "\":\"" + culture
                        + "\",\"" + travel + "\":\"" + tourism + "\"}}")
                .post("/api/v1/agencies/" + split + "/split").then().statusCode(200);
        awaitTold(museum, culture);
        awaitTold(travel, tourism);

        String etag = given().auth().oauth2(TestJwt.operator()).get("/api/v1/systems/" + museum).then().extract().header("ETag");
        given().auth().oauth2(TestJwt.operator()).header("If-Match", etag).contentType(ContentType.JSON).body("""
                {"name":"Bảo tàng số","agencyCode":"%s","purpose":"p","baseUrls":{"test":"https://test.example.vn"},
                 "allowedSourceIps":[],"securityLevel":2,"mandatoryConnection":false}""".formatted(tourism))
                .put("/api/v1/systems/" + museum).then().statusCode(200);
        awaitTold(museum, tourism);

        // an edit that keeps the agency announces nothing
        int before = calls("auth", systemPath(travel)).size();
        etag = given().auth().oauth2(TestJwt.operator()).get("/api/v1/systems/" + travel).then().extract().header("ETag");
        given().auth().oauth2(TestJwt.operator()).header("If-Match", etag).contentType(ContentType.JSON).body("""
                {"name":"Du lịch thông minh","agencyCode":"%s","purpose":"p","baseUrls":{"test":"https://test.example.vn"},
                 "allowedSourceIps":[],"securityLevel":2,"mandatoryConnection":false}""".formatted(tourism))
                .put("/api/v1/systems/" + travel).then().statusCode(200);
        assertFalse(waitingFor(travel));
        assertEquals(before, calls("auth", systemPath(travel)).size());
    }

    @Test
    void aReissuedCodeReachesTheAgencysSystemsAndItsAccounts() {
        String old = Fixtures.agency("Sở Ngoại vụ", null);
        String system = Fixtures.system(old, false);
        String reissued = Fixtures.agencyCode();
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"newName\":\"Sở Ngoại vụ tỉnh\",\"newCode\":\"" + reissued + "\"}")
                .post("/api/v1/agencies/" + old + "/rename").then().statusCode(200).body("code", equalTo(reissued));

        awaitTold(system, reissued);
        String accounts = "/api/v1/agencies/" + old + "/code";
        await("auth told " + old + " → " + reissued, () -> calls("auth", accounts).stream()
                .anyMatch(c -> reissued.equals(c.body().getString("newCode"))));
        assertTrue(calls("catalog", accounts).isEmpty(), "accounts live in auth only");
        await("outbox empty", () -> waiting().stream().noneMatch(r -> old.equals(r.get("oldCode")) || system.equals(r.get("systemCode"))));
    }

    private static void awaitEnded(String code) {
        await("auth told " + code + " ended", () -> calls("auth", "/api/v1/agencies/" + code + "/status").stream()
                .anyMatch(c -> "ended".equals(c.body().getString("status"))
                        && ("Bearer " + AuthStub.SERVICE_TOKEN).equals(c.authorization())));
    }

    /** Merged, split or dissolved: auth is told the agency ended (it disables the agency's admins), never catalog. */
    @Test
    void anAgencyThatEndsIsAnnouncedUnderEveryCodeItHad() {
        String merged = Fixtures.agency("Sở Giao thông", null);
        String into = Fixtures.agency("Sở Xây dựng", null);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"intoCode\":\"" + into + "\",\"comment\":\"Hợp nhất\"}").post("/api/v1/agencies/" + merged + "/merge")
                .then().statusCode(200);
        awaitEnded(merged);
        assertTrue(calls("auth", "/api/v1/agencies/" + into + "/status").isEmpty(), "the absorbing agency goes on");
        assertTrue(calls("catalog", "/api/v1/agencies/" + merged + "/status").isEmpty());

        String split = Fixtures.agency("Sở Nông nghiệp và Tài nguyên", null);
        String a = Fixtures.agency("Sở Nông nghiệp", null);
        String b = Fixtures.agency("Sở Tài nguyên", null);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"successorCodes\":[\"" + a + "\",\"" + b + "\"]}").post("/api/v1/agencies/" + split + "/split")
                .then().statusCode(200);
        awaitEnded(split);

        // re-coded, then dissolved before auth heard of the new code: its accounts may still hold the old one
        String old = Fixtures.agency("Ban Dân tộc", null);
        String reissued = Fixtures.agencyCode();
        AuthStub.SYNC_MODE.put("auth", "refuse");
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"newName\":\"Ban Dân tộc tỉnh\",\"newCode\":\"" + reissued + "\"}")
                .post("/api/v1/agencies/" + old + "/rename").then().statusCode(200);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body("{\"comment\":\"Giải thể\"}")
                .post("/api/v1/agencies/" + reissued + "/dissolve").then().statusCode(200).body("status", equalTo("dissolved"));
        AuthStub.SYNC_MODE.put("auth", "ok");
        awaitEnded(reissued);
        awaitEnded(old);
        await("outbox empty", () -> waiting().stream().noneMatch(r -> reissued.equals(r.get("agencyCode"))
                || merged.equals(r.get("agencyCode")) || split.equals(r.get("agencyCode"))));
    }

    @Test
    void aPeerThatRefusesOrIsDownIsToldAgainUntilItAccepts() {
        String from = Fixtures.agency("Sở Lao động", null);
        String into = Fixtures.agency("Sở Nội vụ tỉnh", null);
        String system = Fixtures.system(from, false);
        AuthStub.SYNC_MODE.put("catalog", "refuse");

        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body("{\"intoCode\":\"" + into + "\"}")
                .post("/api/v1/agencies/" + from + "/merge").then().statusCode(200);

        // auth accepted at once; catalog refused, and again after the backoff
        await("catalog refused twice", () -> calls("catalog", systemPath(system)).size() >= 2);
        await("row shows catalog waiting", () -> waiting().stream().anyMatch(r -> system.equals(r.get("systemCode"))
                && List.of("catalog").equals(r.get("waitingFor")) && ((Integer) r.get("attempts")) >= 1
                && String.valueOf(r.get("lastError")).contains("HTTP 500") && into.equals(r.get("agencyCode"))));
        assertEquals(1, calls("auth", systemPath(system)).size(), "auth, which accepted, is not told twice");

        AuthStub.SYNC_MODE.put("catalog", "drop");
        await("a dropped connection is an error too", () -> waiting().stream().anyMatch(r -> system.equals(r.get("systemCode"))
                && !String.valueOf(r.get("lastError")).contains("HTTP 500")));

        AuthStub.SYNC_MODE.put("catalog", "ok");
        await("delivered once catalog is back", () -> !waitingFor(system));
        assertEquals(1, calls("auth", systemPath(system)).size());
    }

    @Test
    void aDeliveryOvertakenByANewerMoveLeavesTheRowArmed() {
        String agency = Fixtures.agency("Sở Tư pháp", null);
        String system = Fixtures.system(agency, false);
        long systemId = pool.preparedQuery("SELECT id FROM information_system WHERE code = $1").execute(Tuple.of(system))
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getLong("id");
        // queued for later, so the dispatcher leaves it to this test
        pool.withTransaction(conn -> outbox.systemMoved(conn, systemId)).await().atMost(Duration.ofSeconds(5));
        pool.preparedQuery("UPDATE agency_sync SET next_attempt_at = now() + interval '1 hour' WHERE system_id = $1")
                .execute(Tuple.of(systemId)).await().atMost(Duration.ofSeconds(5));
        long id = pool.preparedQuery("SELECT id FROM agency_sync WHERE system_id = $1").execute(Tuple.of(systemId))
                .await().atMost(Duration.ofSeconds(5)).iterator().next().getLong("id");
        Item firstDelivery = new Item(id, AgencySyncRepository.SYSTEM, system, null, agency, true, true, 1, 0);

        // another move re-arms the row while the first delivery is in flight...
        pool.withTransaction(conn -> outbox.systemMoved(conn, systemId)).await().atMost(Duration.ofSeconds(5));
        pool.preparedQuery("UPDATE agency_sync SET next_attempt_at = now() + interval '1 hour' WHERE system_id = $1")
                .execute(Tuple.of(systemId)).await().atMost(Duration.ofSeconds(5));
        // ...so the first delivery's success does not close it: what it sent may be stale
        outbox.settle(firstDelivery, true, true, null, null).await().atMost(Duration.ofSeconds(5));
        assertTrue(waiting().stream().anyMatch(r -> system.equals(r.get("systemCode"))
                && List.of("auth", "catalog").equals(r.get("waitingFor"))));

        // the delivery of the current generation does
        outbox.settle(new Item(id, AgencySyncRepository.SYSTEM, system, null, agency, true, true, 2, 0), true, true, null, null)
                .await().atMost(Duration.ofSeconds(5));
        assertFalse(waitingFor(system));
    }

    @Test
    void anAgencyWithSystemsInUseCannotBeDissolved() {
        String agency = Fixtures.agency("Ban Quản lý dự án", null);
        String system = Fixtures.system(agency, false);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body("{\"comment\":\"Giải thể\"}")
                .post("/api/v1/agencies/" + agency + "/dissolve").then().statusCode(409)
                .contentType("application/problem+json").body("errors[0].field", equalTo("systems"))
                .body("errors[0].rule", equalTo("noneInUse")).body("detail", org.hamcrest.Matchers.containsString(system));
        given().auth().oauth2(TestJwt.operator()).get("/api/v1/agencies/" + agency).then().body("status", equalTo("active"));

        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body("{\"comment\":\"Ngừng\"}")
                .post("/api/v1/systems/" + system + "/retire").then().statusCode(200);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body("{\"comment\":\"Giải thể\"}")
                .post("/api/v1/agencies/" + agency + "/dissolve").then().statusCode(200).body("status", equalTo("dissolved"));
    }

    @Test
    void onlyOperatorsAndAuditorsSeeWhatWaits() {
        given().get("/api/v1/agency-sync").then().statusCode(401);
        given().auth().oauth2(TestJwt.agencyAdmin(Fixtures.agency("Sở Y tế", null))).get("/api/v1/agency-sync").then()
                .statusCode(403);
        given().auth().oauth2(TestJwt.auditor()).get("/api/v1/agency-sync").then().statusCode(200);
    }
}
