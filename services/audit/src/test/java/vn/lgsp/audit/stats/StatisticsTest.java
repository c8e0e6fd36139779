package vn.lgsp.audit.stats;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import vn.lgsp.audit.stats.service.LatencyHistogram;
import vn.lgsp.audit.support.Fixtures;
import vn.lgsp.common.time.ProvinceCalendar;
import vn.lgsp.testing.PlatformTestResource;
import vn.lgsp.testing.TestJwt;

/** The rollups against a recount of the raw records: exact counts and sums, percentiles within one bucket. */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
class StatisticsTest {

    static final String A = "000.00.31.H01";
    static final String B = "000.00.31.H02";
    static final String P = "000.00.31.H09";

    @Test
    void statisticsEqualARecountOfTheRawRecords() {
        String service = "svc-" + UUID.randomUUID().toString().substring(0, 8);
        Random rnd = new Random(42);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        int[] statuses = { 200, 200, 200, 201, 204, 400, 404, 429, 500, 502, 503, 504 };
        String[] errorTypes = { null, null, null, "upstream-timeout", "rate-limited", "upstream-unreachable" };
        List<Map<String, Object>> all = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Instant at = i % 3 == 0 ? now.minus(1, ChronoUnit.DAYS) : now.minusSeconds(rnd.nextInt(60));
            long latency = rnd.nextInt(10) == 0 ? 2000 + rnd.nextInt(70_000) : rnd.nextInt(400);
            Map<String, Object> e = Fixtures.transaction(at, i % 2 == 0 ? A : B, i % 2 == 0 ? "HTTT-A" : "HTTT-B", P,
                    "HTTT-P", service, statuses[rnd.nextInt(statuses.length)], latency);
            e.put("requestBytes", (long) rnd.nextInt(5000));
            e.put("responseBytes", (long) rnd.nextInt(90_000));
            String et = errorTypes[rnd.nextInt(errorTypes.length)];
            if (et != null) {
                e.put("errorType", et);
            }
            if (i % 5 == 0) {
                e.put("mode", "async");
            }
            all.add(e);
        }
        for (int i = 0; i < all.size(); i += 100) {
            Fixtures.ingest(all.subList(i, i + 100));
        }
        // at-least-once: a whole batch and part of another arrive again; nothing may count twice
        Map<String, Object> again = Fixtures.ingest(all.subList(0, 100));
        assertEquals(100, again.get("duplicates"));
        Fixtures.ingest(all.subList(150, 160));

        LocalDate today = ProvinceCalendar.dateOf(now);
        JsonPath stats = given().auth().oauth2(TestJwt.auditor()).queryParam("service", service)
                .queryParam("from", today.minusDays(1).toString()).queryParam("to", today.toString())
                .queryParam("groupBy", "day,consumerAgency,mode").get("/api/v1/statistics")
                .then().statusCode(200).extract().jsonPath();

        // The recount, straight from the raw rows.
        List<Map<String, Object>> raw = Fixtures.query("""
                SELECT (occurred_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date::text AS day, consumer_agency, coalesce(mode, 'sync') AS mode,
                  status, latency_ms, request_bytes, response_bytes, error_type
                FROM audit_event WHERE service_code = ?""", service);
        assertEquals(300, raw.size());
        Map<String, List<Map<String, Object>>> groups = new TreeMap<>();
        for (Map<String, Object> r : raw) {
            groups.computeIfAbsent(r.get("day") + "|" + r.get("consumer_agency") + "|" + r.get("mode"), k -> new ArrayList<>())
                    .add(r);
        }
        List<Map<String, Object>> answered = stats.getList("groups");
        assertEquals(groups.size(), answered.size());
        for (Map<String, Object> g : answered) {
            @SuppressWarnings("unchecked")
            Map<String, String> key = (Map<String, String>) g.get("key");
            List<Map<String, Object>> rows = groups.get(key.get("day") + "|" + key.get("consumerAgency") + "|" + key.get("mode"));
            long e4 = rows.stream().filter(r -> (int) r.get("status") >= 400 && (int) r.get("status") < 500).count();
            long e5 = rows.stream().filter(r -> (int) r.get("status") >= 500).count();
            long rq = rows.stream().mapToLong(r -> (long) r.get("request_bytes")).sum();
            long rs = rows.stream().mapToLong(r -> (long) r.get("response_bytes")).sum();
            assertEquals(rows.size(), ((Number) g.get("calls")).intValue(), key.toString());
            assertEquals(e4, ((Number) g.get("errors4xx")).longValue(), key.toString());
            assertEquals(e5, ((Number) g.get("errors5xx")).longValue(), key.toString());
            assertEquals(rq, ((Number) g.get("requestBytes")).longValue(), key.toString());
            assertEquals(rs, ((Number) g.get("responseBytes")).longValue(), key.toString());
            Map<String, Long> types = new TreeMap<>();
            rows.stream().filter(r -> r.get("error_type") != null)
                    .forEach(r -> types.merge((String) r.get("error_type"), 1L, Long::sum));
            @SuppressWarnings("unchecked")
            Map<String, Number> answeredTypes = (Map<String, Number>) g.get("errorTypes");
            Map<String, Long> got = new TreeMap<>();
            answeredTypes.forEach((k, v) -> got.put(k, v.longValue()));
            assertEquals(types, got, key.toString());

            long[] lat = rows.stream().mapToLong(r -> (long) r.get("latency_ms")).sorted().toArray();
            long max = lat[lat.length - 1];
            assertEquals(max, ((Number) g.get("latencyMaxMs")).longValue());
            for (double p : new double[] { 0.50, 0.95, 0.99 }) {
                long truth = lat[(int) Math.ceil(p * lat.length) - 1];
                long reported = ((Number) g.get("latencyP" + Math.round(p * 100) + "Ms")).longValue();
                // documented precision: the upper bound of the true value's bucket, capped at the maximum
                assertEquals(Math.min(LatencyHistogram.upperBoundOf(truth), max), reported, key + " p" + p);
                assertTrue(reported >= truth);
            }
        }
    }

    @Test
    void daysAreTheProvincesDaysAsReconciliationAgencies() {
        // 16:59:59 and 17:00:00 UTC of one UTC day are 23:59:59 and 00:00:00 in Hanoi: two days of the province.
        String service = "svc-" + UUID.randomUUID().toString().substring(0, 8);
        LocalDate utcDay = LocalDate.now(ZoneOffset.UTC).minusDays(2);
        Instant lastSecond = utcDay.atTime(16, 59, 59).toInstant(ZoneOffset.UTC);
        Instant midnight = utcDay.atTime(17, 0).toInstant(ZoneOffset.UTC);
        Fixtures.ingest(List.of(
                Fixtures.transaction(lastSecond, "000.00.33.H01", "S1", "000.00.33.H09", "SP", service, 200, 5),
                Fixtures.transaction(midnight, "000.00.33.H01", "S1", "000.00.33.H09", "SP", service, 200, 5),
                Fixtures.transaction(midnight.plusSeconds(1), "000.00.33.H01", "S1", "000.00.33.H09", "SP", service, 500, 5)));
        given().auth().oauth2(TestJwt.auditor()).queryParam("service", service).queryParam("groupBy", "day")
                .queryParam("from", utcDay.minusDays(1).toString()).queryParam("to", utcDay.plusDays(1).toString())
                .get("/api/v1/statistics").then().statusCode(200)
                .body("groups.size()", equalTo(2))
                .body("groups.find { it.key.day == '" + utcDay + "' }.calls", equalTo(1))
                .body("groups.find { it.key.day == '" + utcDay.plusDays(1) + "' }.calls", equalTo(2));
        // Reconciliation counts the same days.
        given().auth().oauth2(TestJwt.auditor()).queryParam("agency", "000.00.33.H01")
                .queryParam("from", utcDay.plusDays(1).toString()).queryParam("to", utcDay.plusDays(1).toString())
                .get("/api/v1/reconciliation").then().statusCode(200)
                .body("rows.find { it.service == '" + service + "' }.calls", equalTo(2));
    }

    @Test
    void theUpgradesRebuildOfTheDailyRollupsEqualsWhatIngestCounted() {
        // V4 recounts the daily rollups from the raw log in SQL; over what the statistics tests ingested so far it
        // must give exactly the rows RollupWriter wrote at ingest: keys, counts, sums, maxima and histograms. (The
        // integrity tests alter and delete raw rows of their own services on purpose: a recount of those differs.)
        String daily = "SELECT day::text, consumer_agency, consumer_system, provider_agency, provider_system, service_code,"
                + " service_version, mode, calls, errors_4xx, errors_5xx, request_bytes, response_bytes, latency_sum,"
                + " latency_max, latency_hist::text FROM audit_stat_daily WHERE service_code LIKE 'svc-%'"
                + " ORDER BY 1, 2, 3, 4, 5, 6, 7, 8";
        String errors = "SELECT * FROM audit_stat_error_daily WHERE service_code LIKE 'svc-%' ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9";
        String service = "svc-" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now();
        Random rnd = new Random(7);
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Map<String, Object> e = Fixtures.transaction(now.minusSeconds(rnd.nextInt(3 * 86_400)), "000.00.34.H01",
                    "S1", "000.00.34.H09", "SP", service, i % 7 == 0 ? 503 : i % 5 == 0 ? 404 : 200,
                    i % 11 == 0 ? 61_000 + rnd.nextInt(9000) : rnd.nextInt(3000));
            if (i % 3 == 0) {
                e.put("errorType", "upstream-timeout");
            }
            events.add(e);
        }
        Fixtures.ingest(events);
        List<Map<String, Object>> dailyBefore = Fixtures.query(daily);
        List<Map<String, Object>> errorsBefore = Fixtures.query(errors);
        assertTrue(dailyBefore.stream().anyMatch(r -> service.equals(r.get("service_code"))));

        Fixtures.query("SELECT audit_rebuild_daily_rollups() AS n");
        assertSameRows(dailyBefore, Fixtures.query(daily));
        assertSameRows(errorsBefore, Fixtures.query(errors));
    }

    /** Equal lists, or a message naming only the rows that differ. */
    private static void assertSameRows(List<Map<String, Object>> expected, List<Map<String, Object>> actual) {
        List<Map<String, Object>> missing = new ArrayList<>(expected);
        missing.removeAll(actual);
        List<Map<String, Object>> extra = new ArrayList<>(actual);
        extra.removeAll(expected);
        assertTrue(missing.isEmpty() && extra.isEmpty() && expected.size() == actual.size(),
                "rows only before the rebuild: " + missing + "; rows only after it: " + extra);
    }

    @Test
    void anAgencyAdminSeesOnlyItsOwnTraffic() {
        String service = "svc-" + UUID.randomUUID().toString().substring(0, 8);
        Instant now = Instant.now();
        Fixtures.ingest(List.of(
                Fixtures.transaction(now, "000.00.32.H01", "S1", "000.00.32.H09", "SP", service, 200, 5),
                Fixtures.transaction(now, "000.00.32.H02", "S2", "000.00.32.H09", "SP", service, 200, 5),
                Fixtures.transaction(now, "000.00.32.H02", "S2", "000.00.32.H09", "SP", service, 500, 5)));
        given().auth().oauth2(TestJwt.agencyAdmin("000.00.32.H01")).queryParam("service", service)
                .queryParam("groupBy", "consumerAgency").get("/api/v1/statistics").then().statusCode(200)
                .body("groups.size()", equalTo(1)).body("groups[0].key.consumerAgency", equalTo("000.00.32.H01"))
                .body("groups[0].calls", equalTo(1));
        given().auth().oauth2(TestJwt.agencyAdmin("000.00.32.H09")).queryParam("service", service)
                .queryParam("groupBy", "providerAgency").get("/api/v1/statistics").then().statusCode(200)
                .body("groups[0].calls", equalTo(3)).body("groups[0].errors5xx", equalTo(1));
    }

    @Test
    void badQueriesAreProblemsNamingTheParameter() {
        given().auth().oauth2(TestJwt.operator()).queryParam("groupBy", "day,planet").get("/api/v1/statistics")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("groupBy")).body("errors[0].rule", equalTo("enum"));
        given().auth().oauth2(TestJwt.operator()).queryParam("from", "2020-01-01").queryParam("to", "2026-01-01")
                .get("/api/v1/statistics").then().statusCode(400).body("errors[0].rule", equalTo("maxRange"));
        given().auth().oauth2(TestJwt.operator()).queryParam("mode", "carrier-pigeon").get("/api/v1/statistics")
                .then().statusCode(400).body("errors[0].field", equalTo("mode"));
        given().get("/api/v1/statistics").then().statusCode(401).contentType("application/problem+json");
    }
}
