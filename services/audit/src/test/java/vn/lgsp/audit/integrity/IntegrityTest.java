package vn.lgsp.audit.integrity;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import vn.lgsp.audit.integrity.service.ChainHash;
import vn.lgsp.audit.integrity.ChainVerifierMain;
import vn.lgsp.audit.integrity.service.IntegrityService;
import vn.lgsp.audit.support.AuditClock;
import vn.lgsp.audit.support.Fixtures;
import vn.lgsp.testing.PlatformTestResource;
import vn.lgsp.testing.TestJwt;

/** The hash chain against tampering done directly in PostgreSQL, the signed anchors, and concurrent ingest. */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
class IntegrityTest {

    @Inject
    AuditClock clock;

    @Inject
    IntegrityService integrity;

    @AfterEach
    void realTime() {
        clock.set(null);
    }

    private List<Map<String, Object>> ingestFive() {
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            events.add(Fixtures.transaction(Instant.now(), "000.00.00.H01", "HTTT-A", "000.00.00.H02", "HTTT-B", "dan-cu",
                    200, 10 + i));
        }
        events.add(Fixtures.adminAction("operator:alice"));
        Fixtures.ingest(events);
        return events;
    }

    private static JsonPath verify(LocalDate day) {
        return given().auth().oauth2(TestJwt.auditor()).queryParam("from", day.toString()).queryParam("to", day.toString())
                .get("/api/v1/integrity/verify").then().statusCode(200).extract().jsonPath();
    }

    @Test
    void anUpdateBehindTheServicesBackIsTheFirstBrokenLink() throws Exception {
        LocalDate day = Fixtures.freshChainDay(clock);
        List<Map<String, Object>> events = ingestFive();
        JsonPath clean = verify(day);
        assertTrue(clean.getBoolean("ok"), clean.prettify());
        assertEquals(6, clean.getInt("recordsChecked"));

        String victim = (String) events.get(2).get("eventId");
        String storedHash = (String) Fixtures.query("SELECT hash FROM audit_event WHERE event_id = ?::uuid", victim)
                .get(0).get("hash");
        assertEquals(1, Fixtures.update("UPDATE audit_event SET status = 204 WHERE event_id = ?::uuid", victim));
        // a later record altered too: the report must still name the first one
        Fixtures.update("UPDATE audit_event SET latency_ms = 1 WHERE event_id = ?::uuid", events.get(4).get("eventId"));

        JsonPath report = verify(day);
        assertEquals(false, report.getBoolean("ok"));
        assertEquals(IntegrityService.ALTERED, report.getString("firstBreak.kind"));
        assertEquals(victim, report.getString("firstBreak.eventId"));
        assertEquals(3, report.getLong("firstBreak.sequence"));
        assertEquals(day.toString(), report.getString("firstBreak.day"));
        assertEquals(storedHash, report.getString("firstBreak.actualHash"));
        assertNotEquals(storedHash, report.getString("firstBreak.expectedHash"));

        // the offline verifier (JDBC, no service) names the same link
        try (var c = Fixtures.jdbc()) {
            IntegrityService.Break offline = ChainVerifierMain.verify(c, day, day, null, System.out);
            assertEquals(IntegrityService.ALTERED, offline.kind());
            assertEquals(3, offline.sequence());
            assertEquals(victim, offline.eventId());
            assertEquals(report.getString("firstBreak.expectedHash"), offline.expectedHash());
        }
    }

    @Test
    void aDeleteBehindTheServicesBackIsReportedAsMissing() throws Exception {
        LocalDate day = Fixtures.freshChainDay(clock);
        List<Map<String, Object>> events = ingestFive();
        assertTrue(verify(day).getBoolean("ok"));

        assertEquals(1, Fixtures.update("DELETE FROM audit_event WHERE event_id = ?::uuid", events.get(1).get("eventId")));

        JsonPath report = verify(day);
        assertEquals(false, report.getBoolean("ok"));
        assertEquals(IntegrityService.MISSING, report.getString("firstBreak.kind"));
        assertEquals(2, report.getLong("firstBreak.sequence"));
        assertEquals(events.get(2).get("eventId"), report.getString("firstBreak.followingEventId"));
        try (var c = Fixtures.jdbc()) {
            IntegrityService.Break offline = ChainVerifierMain.verify(c, day, day, null, System.out);
            assertEquals(IntegrityService.MISSING, offline.kind());
            assertEquals(2, offline.sequence());
        }
    }

    @Test
    void theHousekeepingJobAnchorsADayThatEndedWithoutFurtherTraffic() throws Exception {
        LocalDate day = Fixtures.freshChainDay(clock);
        ingestFive();
        integrity.anchorClosedDay();
        assertEquals(0, Fixtures.query("SELECT 1 FROM audit_anchor WHERE chain_day = ?", day).size(), "the day is not over");
        Fixtures.moveTo(clock, day.plusDays(1).atTime(1, 0).toInstant(java.time.ZoneOffset.UTC));
        integrity.anchorClosedDay();
        assertEquals(6L, Fixtures.query("SELECT record_count FROM audit_anchor WHERE chain_day = ?", day).get(0)
                .get("record_count"));
        try (var c = Fixtures.jdbc()) {
            assertEquals(null, ChainVerifierMain.verify(c, day, day, null, System.out));
        }
    }

    @Test
    void deletingTheLastRecordsIsCaughtByTheHead() {
        LocalDate day = Fixtures.freshChainDay(clock);
        List<Map<String, Object>> events = ingestFive();
        Fixtures.update("DELETE FROM audit_event WHERE event_id = ?::uuid", events.get(5).get("eventId"));
        JsonPath report = verify(day);
        assertEquals(IntegrityService.MISSING, report.getString("firstBreak.kind"));
        assertEquals(6, report.getLong("firstBreak.sequence"));
    }

    @Test
    void closedDaysAreAnchoredWithAVerifiableSignatureAndATamperedAnchorIsNamed() throws Exception {
        LocalDate day = Fixtures.freshChainDay(clock);
        ingestFive();
        String lastHash = (String) Fixtures.query("SELECT hash FROM audit_chain_head").get(0).get("hash");
        Fixtures.moveTo(clock, day.plusDays(1).atTime(0, 0, 5).toInstant(java.time.ZoneOffset.UTC));
        ingestFive(); // the first batch of the next day anchors the previous one

        JsonPath anchors = given().auth().oauth2(TestJwt.auditor()).queryParam("from", day.toString())
                .queryParam("to", day.toString()).get("/api/v1/integrity/anchors").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(6, anchors.getLong("[0].count"));
        assertEquals(lastHash, anchors.getString("[0].lastHash"));
        String payload = anchors.getString("[0].payload");
        assertEquals("lgsp-audit-anchor-v1|" + day + "|6|" + lastHash, payload);

        // Anyone, unauthenticated, can fetch the key and check the signature with plain JDK crypto.
        JsonPath keys = given().get("/api/v1/integrity/keys").then().statusCode(200).extract().jsonPath();
        String keyId = anchors.getString("[0].keyId");
        String pem = null;
        String alg = null;
        for (int i = 0; i < keys.getList("$").size(); i++) {
            if (keyId.equals(keys.getString("[" + i + "].keyId"))) {
                pem = keys.getString("[" + i + "].publicKeyPem");
                alg = keys.getString("[" + i + "].algorithm");
            }
        }
        assertEquals("Ed25519", alg);
        byte[] spki = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
        PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        Signature sig = Signature.getInstance("Ed25519");
        sig.initVerify(key);
        sig.update(payload.getBytes(StandardCharsets.UTF_8));
        assertTrue(sig.verify(Base64.getDecoder().decode(anchors.getString("[0].signature"))));

        JsonPath ok = verify(day);
        assertTrue(ok.getBoolean("ok"), ok.prettify());
        assertEquals(1, ok.getInt("anchorsChecked"));
        try (var c = Fixtures.jdbc()) {
            assertEquals(null, ChainVerifierMain.verify(c, day, day, pem, System.out), "pinned key: intact");
            KeyPairLike stranger = KeyPairLike.ed25519();
            assertEquals(IntegrityService.ANCHOR_INVALID,
                    ChainVerifierMain.verify(c, day, day, stranger.pem, System.out).kind(), "another pinned key: refused");
        }

        // Someone rewrites the anchor to cover a shorter day: the signature no longer matches.
        Fixtures.update("UPDATE audit_anchor SET record_count = 5 WHERE chain_day = ?", day);
        JsonPath report = verify(day);
        assertEquals(IntegrityService.ANCHOR_INVALID, report.getString("firstBreak.kind"));
        assertEquals(day.toString(), report.getString("firstBreak.day"));
    }

    /** A public key PEM nobody signed with. */
    record KeyPairLike(String pem) {
        static KeyPairLike ed25519() throws Exception {
            var kp = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            return new KeyPairLike("-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getEncoder().encodeToString(kp.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        }
    }

    @Inject
    vn.lgsp.audit.storage.service.RetentionService retention;

    @Test
    void aLateRecordWhoseMonthRetentionDroppedStillLinksItsDay() {
        LocalDate day = Fixtures.freshChainDay(clock);
        java.time.YearMonth late = java.time.YearMonth.now(java.time.ZoneOffset.UTC).minusMonths(14);
        Instant lateAt = late.atDay(28).atStartOfDay().toInstant(java.time.ZoneOffset.UTC);
        Fixtures.ingest(List.of(
                Fixtures.transaction(Instant.now(), "000.00.00.H01", "A", "000.00.00.H02", "B", "dan-cu", 200, 1),
                Fixtures.transaction(lateAt, "000.00.00.H01", "A", "000.00.00.H02", "B", "dan-cu", 200, 1),
                Fixtures.transaction(Instant.now(), "000.00.00.H01", "A", "000.00.00.H02", "B", "dan-cu", 200, 1)));
        // ten months on, that month is 24 months old and goes; the day's chain must not show a gap for it
        var run = retention.run(late.plusMonths(25).atDay(1).atStartOfDay().toInstant(java.time.ZoneOffset.UTC));
        assertTrue(run.dropped().contains(vn.lgsp.audit.storage.service.PartitionManager.name(late)), run.toString());
        JsonPath report = verify(day);
        assertTrue(report.getBoolean("ok"), report.prettify());
        // the two current records, the drop itself (logged as an admin action) and the expired link
        assertEquals(3, Fixtures.query("SELECT 1 FROM audit_event WHERE chain_day = ?", day).size());
        assertEquals(1, Fixtures.query("SELECT 1 FROM audit_chain_expired WHERE chain_day = ? AND chain_seq = 2", day).size());
        assertEquals(4, report.getInt("recordsChecked"));
    }

    @Test
    void concurrentBatchesNeverForkTheChain() throws Exception {
        LocalDate day = Fixtures.freshChainDay(clock);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            futures.add(pool.submit(() -> {
                for (int b = 0; b < 5; b++) {
                    List<Map<String, Object>> batch = new ArrayList<>();
                    for (int i = 0; i < 20; i++) {
                        batch.add(Fixtures.transaction(Instant.now(), "000.00.00.H01", "HTTT-A", "000.00.00.H02",
                                "HTTT-B", "dan-cu", 200, 5));
                    }
                    Fixtures.ingest(batch);
                    Fixtures.ingest(batch.subList(0, 3)); // at-least-once resend: no new links
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        JsonPath report = verify(day);
        assertTrue(report.getBoolean("ok"), report.prettify());
        assertEquals(800, report.getLong("recordsChecked"));
        List<Map<String, Object>> seqs = Fixtures.query(
                "SELECT count(*) AS n, count(DISTINCT chain_seq) AS d, max(chain_seq) AS m FROM audit_event WHERE chain_day = ?", day);
        assertEquals(800L, seqs.get(0).get("n"));
        assertEquals(800L, seqs.get(0).get("d"));
        assertEquals(800L, seqs.get(0).get("m"));
    }

    @Test
    void rowsWithoutAHashAreChainedByTheBackfill() {
        LocalDate day = Fixtures.freshChainDay(clock);
        ingestFive();
        // A row as the V2 migration leaves it: copied from the old table, no chain position yet.
        String id = UUID.randomUUID().toString();
        Fixtures.update("""
                INSERT INTO audit_event (event_id, type, occurred_at, received_at, source, actor, action, resource_type,
                  before_summary) VALUES (?::uuid, 'admin_action', now(), now(), 'catalog', 'operator:bob', 'service.publish',
                  'service', '{"b": 2.50, "a": [1, 1e2]}'::jsonb)""", id);
        assertEquals(1, integrity.backfill());
        Map<String, Object> row = Fixtures.query("SELECT chain_day, chain_seq FROM audit_event WHERE event_id = ?::uuid", id).get(0);
        assertEquals(day, ((java.sql.Date) row.get("chain_day")).toLocalDate());
        assertEquals(7L, row.get("chain_seq"));
        JsonPath report = verify(day);
        assertTrue(report.getBoolean("ok"), report.prettify());
        assertEquals(7, report.getInt("recordsChecked"));
    }

    @Test
    void verificationIsBoundedAndForAuditorsAndOperatorsOnly() {
        given().auth().oauth2(TestJwt.operator()).queryParam("from", "2026-01-01").queryParam("to", "2026-03-01")
                .get("/api/v1/integrity/verify").then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("to")).body("errors[0].rule", equalTo("maxRange"));
        given().auth().oauth2(TestJwt.operator()).queryParam("from", "2026-13-01")
                .get("/api/v1/integrity/verify").then().statusCode(400).body("errors[0].field", equalTo("from"));
        given().auth().oauth2(TestJwt.agencyAdmin("000.00.00.H01")).get("/api/v1/integrity/verify")
                .then().statusCode(403).contentType("application/problem+json");
        given().get("/api/v1/integrity/verify").then().statusCode(401);
    }

    @Test
    void canonicalSummariesDoNotDependOnKeyOrderOrNumberSpelling() throws Exception {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        assertEquals(ChainHash.canonicalJson(mapper.readTree("{\"b\":1.50,\"a\":[1e2,\"x\"]}")),
                ChainHash.canonicalJson(mapper.readTree("{\"a\":[100,\"x\"],\"b\":1.5}")));
        assertNotEquals(ChainHash.canonicalJson(mapper.readTree("{\"a\":1}")),
                ChainHash.canonicalJson(mapper.readTree("{\"a\":\"1\"}")));
    }
}
