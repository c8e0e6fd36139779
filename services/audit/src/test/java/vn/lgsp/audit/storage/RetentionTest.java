package vn.lgsp.audit.storage;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.lgsp.audit.event.repository.EventWriter;
import vn.lgsp.audit.storage.service.PartitionManager;
import vn.lgsp.audit.storage.service.RetentionService;
import vn.lgsp.audit.storage.service.RetentionService.RetentionRun;
import vn.lgsp.audit.support.Db;
import vn.lgsp.audit.support.Fixtures;
import vn.lgsp.testing.PlatformTestResource;
import vn.lgsp.testing.TestJwt;

/** Retention at the exact 24-month boundary (injected time), legal holds, and the configuration floor. */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
class RetentionTest {

    @Inject
    RetentionService retention;

    @Inject
    PartitionManager partitions;

    @Inject
    Db db;

    private void create(YearMonth... months) {
        db.tx(tx -> {
            EventWriter.lockHead(tx);
            partitions.ensure(tx, List.of(months));
            return null;
        });
    }

    private boolean exists(YearMonth m) {
        return partitions.list().contains(m);
    }

    @Test
    void retentionBelow24MonthsIsRefused() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RetentionService.checkMonths(23));
        assertTrue(e.getMessage().contains("24"));
        assertDoesNotThrow(() -> RetentionService.checkMonths(24));
        assertDoesNotThrow(() -> RetentionService.checkMonths(36));
    }

    @Test
    void partitionsAreDroppedExactlyWhenTheirWholeMonthIsOlderThan24MonthsUnlessHeld() {
        YearMonth aug = YearMonth.of(2022, 8);
        YearMonth sep = YearMonth.of(2022, 9);
        YearMonth oct = YearMonth.of(2022, 10);
        YearMonth nov = YearMonth.of(2022, 11);
        create(aug, sep, oct, nov);
        // a record that lives in the held month, written behind the API (it is older than ingest accepts)
        Fixtures.update("""
                INSERT INTO audit_event (event_id, type, occurred_at, source, chain_day, chain_seq, hash)
                VALUES (gen_random_uuid(), 'transaction', '2022-09-10T10:00:00Z', 'routing', NULL, NULL, repeat('0', 64))""");

        String holdId = given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body(Map.of("from", "2022-09-10T00:00:00Z", "to", "2022-09-11T00:00:00Z",
                        "reason", "Thanh tra vụ việc 12/2024"))
                .post("/api/v1/legal-holds").then().statusCode(201).body("createdBy", equalTo("operator-1"))
                .extract().path("id");

        // 2024-11-30T23:59:59.999Z minus 24 months = 2022-11-30T23:59:59.999Z: November 2022 is still inside.
        RetentionRun inside = retention.run(Instant.parse("2024-11-30T23:59:59.999Z"));
        assertTrue(inside.dropped().contains(PartitionManager.name(oct)), inside.toString());
        assertTrue(inside.dropped().contains(PartitionManager.name(aug)), inside.toString());
        assertEquals(List.of(PartitionManager.name(sep)), inside.keptForLegalHold());
        assertTrue(exists(nov), "the month just inside the window is kept");
        assertFalse(exists(oct), "the month just outside is dropped");
        assertTrue(exists(sep), "the held month is kept");
        assertEquals(1, Fixtures.query("SELECT 1 FROM audit_event WHERE occurred_at = '2022-09-10T10:00:00Z'").size());

        // One millisecond later November 2022 ended exactly 24 months ago: now it goes.
        RetentionRun boundary = retention.run(Instant.parse("2024-12-01T00:00:00Z"));
        assertEquals(List.of(PartitionManager.name(nov)), boundary.dropped());
        assertFalse(exists(nov));
        assertTrue(exists(sep));

        // Every drop is in the log, as an admin action of the retention job.
        given().auth().oauth2(TestJwt.auditor()).queryParam("type", "admin_action").queryParam("limit", 500).get("/api/v1/events")
                .then().statusCode(200).body("items.event.resourceId", hasItem(PartitionManager.name(oct)))
                .body("items.event.actor", hasItem("system:retention"));

        // Released, the hold protects nothing any more.
        given().auth().oauth2(TestJwt.operator()).delete("/api/v1/legal-holds/" + holdId).then().statusCode(200)
                .body("releasedBy", equalTo("operator-1"));
        given().auth().oauth2(TestJwt.operator()).delete("/api/v1/legal-holds/" + holdId).then().statusCode(409);
        RetentionRun released = retention.run(Instant.parse("2024-12-01T00:00:00Z"));
        assertEquals(List.of(PartitionManager.name(sep)), released.dropped());
        assertEquals(0, Fixtures.query("SELECT 1 FROM audit_event WHERE occurred_at = '2022-09-10T10:00:00Z'").size());
        given().auth().oauth2(TestJwt.auditor()).queryParam("type", "admin_action").queryParam("limit", 500).get("/api/v1/events")
                .then().statusCode(200).body("items.event.action", hasItem("legal-hold.create"))
                .body("items.event.action", hasItem("legal-hold.release"));
    }

    @Test
    void theCurrentAndNextMonthsHaveAPartitionAndIngestCreatesMissingOnes() {
        YearMonth now = YearMonth.now(java.time.ZoneOffset.UTC);
        assertTrue(exists(now));
        assertTrue(exists(now.plusMonths(3)), "created ahead at start-up");
        // An event of last month (whose partition may not exist in a fresh database) is accepted and stored in it.
        YearMonth last = now.minusMonths(13);
        assertFalse(exists(last));
        Instant at = last.atDay(15).atStartOfDay().toInstant(java.time.ZoneOffset.UTC);
        Map<String, Object> e = Fixtures.transaction(at, "000.00.00.H01", "A", "000.00.00.H02", "B", "dan-cu", 200, 3);
        Fixtures.ingest(List.of(e));
        assertTrue(exists(last));
        assertEquals(PartitionManager.name(last), Fixtures.query(
                "SELECT tableoid::regclass::text AS p FROM audit_event WHERE event_id = ?::uuid", e.get("eventId"))
                .get(0).get("p"));
        assertEquals(0, Fixtures.query("SELECT 1 FROM audit_event_default").size());
    }

    @Test
    void legalHoldsAreValidatedAndForOperatorsOnly() {
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body(Map.of("from", "2025-01-02T00:00:00Z", "to", "2025-01-01T00:00:00Z"))
                .post("/api/v1/legal-holds").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("to")).body("errors.field", hasItem("reason"));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body(Map.of("from", "yesterday", "to", "2025-01-01T00:00:00Z", "reason", "x"))
                .post("/api/v1/legal-holds").then().statusCode(400).body("errors[0].field", equalTo("from"))
                .body("errors[0].rule", equalTo("format"));
        given().auth().oauth2(TestJwt.auditor()).contentType(ContentType.JSON)
                .body(Map.of("from", "2025-01-01T00:00:00Z", "to", "2025-01-02T00:00:00Z", "reason", "x"))
                .post("/api/v1/legal-holds").then().statusCode(403);
        given().auth().oauth2(TestJwt.operator()).delete("/api/v1/legal-holds/not-a-uuid").then().statusCode(400)
                .body("errors[0].field", equalTo("id"));
    }
}
