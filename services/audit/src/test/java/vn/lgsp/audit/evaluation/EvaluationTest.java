package vn.lgsp.audit.evaluation;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import vn.lgsp.audit.evaluation.service.EvaluationMethod;
import vn.lgsp.audit.evaluation.service.EvaluationMethod.Indicators;
import vn.lgsp.audit.evaluation.service.EvaluationMethod.Input;
import vn.lgsp.audit.evaluation.service.EvaluationMethod.Result;
import vn.lgsp.audit.evaluation.service.EvaluationMethod.Scores;
import vn.lgsp.audit.support.AuditClock;
import vn.lgsp.audit.support.Fixtures;
import vn.lgsp.common.time.ProvinceCalendar;
import vn.lgsp.testing.PlatformTestResource;
import vn.lgsp.testing.TestJwt;

/**
 * Evaluation and ranking over real rollups: traffic is ingested over HTTP for a day no other test uses, the
 * indicators are checked against what was sent, assessments are filed by the agencies and the operator, and the
 * published ranking is frozen, checkable by its SHA-256 and recorded in the chained admin log.
 */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
class EvaluationTest {

    static final String A = "000.00.61.H01";
    static final String B = "000.00.61.H02";
    static final String C = "000.00.61.H03";

    @Inject
    AuditClock clock;

    static Map<String, Object> scores(double v) {
        Map<String, Object> s = new LinkedHashMap<>();
        for (String c : EvaluationMethod.ASSESSED) {
            s.put(c, v);
        }
        return s;
    }

    static List<Map<String, Object>> calls(int n, Instant at, String consumer, String provider, String service, int status,
            String errorType) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> e = Fixtures.transaction(at.plusMillis(i), consumer, consumer == null ? null : "HTTT-C",
                    provider, "HTTT-P", service, status, 20);
            if (consumer == null) {
                e.remove("consumerAgency");
                e.remove("consumerSystem");
            }
            if (errorType != null) {
                e.put("errorType", errorType);
            }
            out.add(e);
        }
        return out;
    }

    @Test
    void aYearsRankingIsMeasuredAssessedPublishedAndFrozen() throws Exception {
        // A day of the province's calendar no other test uses, about six months ago: inside retention, and newer than
        // the months IntegrityTest's simulated retention run drops (a partition of ours there would change its count).
        LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(190);
        Instant noon = ProvinceCalendar.startOf(day).plusSeconds(12 * 3600);
        String sa = "eval-a-" + UUID.randomUUID().toString().substring(0, 6);
        String sb = "eval-b-" + UUID.randomUUID().toString().substring(0, 6);
        List<Map<String, Object>> events = new ArrayList<>();
        events.addAll(calls(90, noon, B, A, sa, 200, null));
        events.addAll(calls(5, noon, B, A, sa, 500, null)); // A's own failures
        events.addAll(calls(3, noon, B, A, sa, 503, "maintenance")); // announced: not A's failure
        events.addAll(calls(1, noon, B, A, sa, 403, "not-subscribed")); // B's violations: no subscription,
        events.addAll(calls(1, noon, B, A, sa, 403, "access-level")); // and beyond the level granted (A3)
        events.addAll(calls(10, noon, C, A, sa, 200, null));
        events.addAll(calls(20, noon, A, B, sb, 200, null));
        events.addAll(calls(1, noon, A, B, sb, 429, "rate-limited")); // A's violation
        events.addAll(calls(50, noon, A, A, sa, 200, null)); // self-calls: not sharing
        events.addAll(calls(5, noon, null, A, sa, 401, "unauthenticated")); // nobody's
        for (int i = 0; i < events.size(); i += 100) {
            Fixtures.ingest(events.subList(i, Math.min(events.size(), i + 100)));
        }

        // Opened without a list of agencies: every agency with traffic that day.
        String name = "Đánh giá " + UUID.randomUUID();
        Response created = given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body(Map.of("name", name, "from", day.toString(), "to", day.toString()))
                .post("/api/v1/evaluations");
        created.then().statusCode(201).header("ETag", "\"1\"").header("Location", containsString("/api/v1/evaluations/"))
                .body("agencies", equalTo(List.of(A, B, C))).body("state", equalTo("draft"))
                .body("weights.sharing", equalTo(20)).body("selfAssessmentShare", equalTo(30));
        String id = created.jsonPath().getString("id");
        String path = "/api/v1/evaluations/" + id;

        JsonPath draft = given().auth().oauth2(TestJwt.operator()).get(path).then().statusCode(200)
                .body("provisional", equalTo(true)).body("awaitingAssessment", equalTo(List.of(A, B, C)))
                .body("criteria.code", hasItems("sharing", "integration")).extract().jsonPath();
        Map<String, Indicators> expected = Map.of(
                A, new Indicators(110, 5, 2, 1, 21, 1, 1, 1),
                B, new Indicators(21, 0, 1, 1, 100, 2, 1, 1),
                C, new Indicators(0, 0, 0, 0, 10, 0, 1, 1));
        for (String agency : List.of(A, B, C)) {
            Map<String, Object> i = draft.getMap("results.find { it.agency == '" + agency + "' }.indicators");
            Indicators e = expected.get(agency);
            assertEquals(e.callsServed(), ((Number) i.get("callsServed")).longValue(), agency + " callsServed");
            assertEquals(e.failedServed(), ((Number) i.get("failedServed")).longValue(), agency + " failedServed");
            assertEquals(e.consumerAgenciesServed(), ((Number) i.get("consumerAgenciesServed")).longValue(), agency);
            assertEquals(e.servicesProvided(), ((Number) i.get("servicesProvided")).longValue(), agency);
            assertEquals(e.callsMade(), ((Number) i.get("callsMade")).longValue(), agency + " callsMade");
            assertEquals(e.violations(), ((Number) i.get("violations")).longValue(), agency + " violations");
            assertEquals(e.providerAgenciesUsed(), ((Number) i.get("providerAgenciesUsed")).longValue(), agency);
            assertEquals(e.servicesUsed(), ((Number) i.get("servicesUsed")).longValue(), agency);
        }
        assertNull(draft.get("results.find { it.agency == '" + C + "' }.indicators.availability"));

        // Self-assessments: each agency's admin for its own agency only; bad scores name the field and rule.
        Map<String, Object> selfA = Map.of("scores", scores(90), "note", "Hồ sơ minh chứng: công văn 12/STTTT");
        given().auth().oauth2(TestJwt.agencyAdmin(A)).contentType(ContentType.JSON).body(selfA)
                .put(path + "/self-assessments/" + A).then().statusCode(200).body("source", equalTo("self"))
                .body("scores.quality", equalTo(90.0f));
        given().auth().oauth2(TestJwt.agencyAdmin(A)).contentType(ContentType.JSON).body(selfA)
                .put(path + "/self-assessments/" + B).then().statusCode(403);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body(selfA)
                .put(path + "/self-assessments/" + A).then().statusCode(403);
        Map<String, Object> bad = new LinkedHashMap<>(scores(50));
        bad.remove("completeness");
        bad.put("quality", 101);
        bad.put("sharing", 100);
        given().auth().oauth2(TestJwt.agencyAdmin(B)).contentType(ContentType.JSON).body(Map.of("scores", bad))
                .put(path + "/self-assessments/" + B).then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.find { it.field == 'scores.completeness' }.rule", equalTo("notNull"))
                .body("errors.find { it.field == 'scores.quality' }.rule", equalTo("range"))
                .body("errors.find { it.field == 'scores.sharing' }.rule", equalTo("unknown"));
        given().auth().oauth2(TestJwt.agencyAdmin(B)).contentType(ContentType.JSON).body(Map.of("scores", scores(70)))
                .put(path + "/self-assessments/" + B).then().statusCode(200);
        given().auth().oauth2(TestJwt.agencyAdmin("000.00.61.H09")).contentType(ContentType.JSON)
                .body(Map.of("scores", scores(70))).put(path + "/self-assessments/000.00.61.H09").then().statusCode(422)
                .body("errors[0].field", equalTo("agency")).body("errors[0].rule", equalTo("evaluated"));

        // A draft shows an agency admin its own line only.
        given().auth().oauth2(TestJwt.agencyAdmin(B)).get(path).then().statusCode(200)
                .body("results.agency", equalTo(List.of(B))).body("results[0].selfAssessment.scores.security", equalTo(70.0f));

        // Publishing: If-Match required, then current, then every agency assessed by the operator.
        String etag = given().auth().oauth2(TestJwt.operator()).get(path).then().extract().header("ETag");
        given().auth().oauth2(TestJwt.operator()).post(path + "/publish").then().statusCode(428);
        given().auth().oauth2(TestJwt.operator()).header("If-Match", "\"1\"").post(path + "/publish").then().statusCode(412);
        given().auth().oauth2(TestJwt.operator()).header("If-Match", etag).post(path + "/publish").then().statusCode(409)
                .body("errors.field", equalTo(List.of("assessments." + A, "assessments." + B, "assessments." + C)));
        given().auth().oauth2(TestJwt.auditor()).contentType(ContentType.JSON).body(Map.of("scores", scores(60)))
                .put(path + "/assessments/" + A).then().statusCode(403);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body(Map.of("scores", scores(60)))
                .put(path + "/assessments/" + A).then().statusCode(200).body("source", equalTo("operator"));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body(Map.of("scores", scores(80)))
                .put(path + "/assessments/" + B).then().statusCode(200);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body(Map.of("scores", scores(40)))
                .put(path + "/assessments/" + C).then().statusCode(200);
        // The ETag read before the assessments no longer publishes: what is published is what was last read.
        given().auth().oauth2(TestJwt.operator()).header("If-Match", etag).post(path + "/publish").then().statusCode(412);

        JsonPath before = given().auth().oauth2(TestJwt.operator()).get(path).then().statusCode(200)
                .body("awaitingAssessment", equalTo(List.of())).extract().jsonPath();
        // The ranking is the method applied to what was sent (C filed no self-assessment: its share counts 0).
        List<Result> want = EvaluationMethod.rank(List.of(
                new Input(A, expected.get(A), assessed(90), assessed(60)),
                new Input(B, expected.get(B), assessed(70), assessed(80)),
                new Input(C, expected.get(C), null, assessed(40))), EvaluationMethod.defaultWeights(), 30);
        assertEquals(want.stream().map(Result::agency).toList(), before.getList("results.agency"));
        for (int k = 0; k < want.size(); k++) {
            assertEquals(want.get(k).total(), new BigDecimal(before.getString("results[" + k + "].total")).setScale(2));
            assertEquals(want.get(k).rank(), before.getInt("results[" + k + "].rank"));
        }

        String current = given().auth().oauth2(TestJwt.operator()).get(path).then().extract().header("ETag");
        JsonPath published = given().auth().oauth2(TestJwt.operator()).header("If-Match", current).post(path + "/publish")
                .then().statusCode(200).body("state", equalTo("published")).body("publishedBy", notNullValue())
                .extract().jsonPath();
        String sha = published.getString("resultsSha256");

        // The frozen text is what its SHA-256 says, and that digest is in the chained admin log.
        Response frozen = given().auth().oauth2(TestJwt.agencyAdmin(C)).get(path + "/results");
        frozen.then().statusCode(200).header("X-LGSP-Checksum", "sha256=" + sha);
        byte[] text = frozen.asByteArray();
        assertEquals(sha, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text)));
        List<Map<String, Object>> logged = Fixtures.query(
                "SELECT after_summary::text AS after FROM audit_event WHERE action = 'evaluation.publish' AND resource_id = ?", id);
        assertEquals(1, logged.size());
        assertTrue(logged.get(0).get("after").toString().contains(sha));
        assertEquals(6, Fixtures.query("SELECT 1 FROM audit_event WHERE resource_type = 'evaluation' AND resource_id = ? "
                + "AND action IN ('evaluation.create', 'evaluation.self-assessment.put', 'evaluation.assessment.put')", id)
                .size(), "create + 2 self-assessments + 3 assessments; refused attempts leave nothing");

        // Published: every agency sees the whole ranking, the scores as assessed but not the notes.
        given().auth().oauth2(TestJwt.agencyAdmin(C)).get(path).then().statusCode(200)
                .body("provisional", equalTo(false)).body("state", equalTo("published")).body("resultsSha256", equalTo(sha))
                .body("weights.security", equalTo(15)).body("results.agency", equalTo(before.getList("results.agency")))
                .body("results.find { it.agency == '" + A + "' }.selfAssessment.scores.quality", equalTo(90.0f))
                .body("results.find { it.agency == '" + A + "' }.selfAssessment.note", equalTo(null));

        // Late traffic for the period does not move a published ranking; nothing about it can change any more.
        Fixtures.ingest(calls(40, noon.plusSeconds(60), C, B, sb, 200, null));
        Response again = given().auth().oauth2(TestJwt.operator()).get(path + "/results");
        assertArrayEquals(text, again.asByteArray());
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body(Map.of("scores", scores(100)))
                .put(path + "/assessments/" + C).then().statusCode(409).body("type", containsString("illegal-transition"));
        given().auth().oauth2(TestJwt.operator()).header("If-Match", "*").delete(path).then().statusCode(409);
        given().auth().oauth2(TestJwt.operator()).header("If-Match", "*").post(path + "/publish").then().statusCode(409);

        // The ranking as a spreadsheet: CSV with the digest in its last line, and XLSX.
        String csv = given().auth().oauth2(TestJwt.auditor()).queryParam("format", "csv").get(path).then().statusCode(200)
                .contentType(containsString("text/csv")).extract().asString();
        String[] lines = csv.split("\r\n");
        assertEquals(5, lines.length);
        assertTrue(lines[0].startsWith("rank,agency,total,grade,completeness"));
        assertTrue(lines[1].startsWith("1," + want.get(0).agency() + "," + want.get(0).total()));
        assertTrue(lines[4].contains("sha256=" + sha));
        byte[] xlsx = given().auth().oauth2(TestJwt.auditor()).queryParam("format", "xlsx").get(path).then().statusCode(200)
                .extract().asByteArray();
        assertEquals("PK", new String(xlsx, 0, 2, StandardCharsets.US_ASCII));
        given().auth().oauth2(TestJwt.auditor()).get("/api/v1/evaluations").then().statusCode(200)
                .body("find { it.id == '" + id + "' }.state", equalTo("published"))
                .body("find { it.id == '" + id + "' }.agencies", equalTo(3));
    }

    private static Scores assessed(double v) {
        Map<String, Double> s = new LinkedHashMap<>();
        EvaluationMethod.ASSESSED.forEach(c -> s.put(c, v));
        return new Scores(s);
    }

    @Test
    void badEvaluationsAreRefusedNamingFieldAndRule() {
        String today = ProvinceCalendar.dateOf(clock.now()).toString();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("from", "2026-13-01");
        body.put("to", "2026-01-01");
        body.put("agencies", List.of("000.00.61.H01", "Sở X", "000.00.61.H01"));
        body.put("weights", Map.of("completeness", 10.5, "sharing", 20, "bogus", 1));
        body.put("selfAssessmentShare", 150);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body(body).post("/api/v1/evaluations")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.find { it.field == 'name' }.rule", equalTo("notNull"))
                .body("errors.find { it.field == 'from' }.rule", equalTo("format"))
                .body("errors.find { it.field == 'agencies[1]' }.rule", equalTo("pattern"))
                .body("errors.find { it.field == 'agencies[2]' }.rule", equalTo("unique"))
                .body("errors.find { it.field == 'weights.completeness' }.rule", equalTo("range"))
                .body("errors.find { it.field == 'weights.integration' }.rule", equalTo("notNull"))
                .body("errors.find { it.field == 'weights.bogus' }.rule", equalTo("unknown"))
                .body("errors.find { it.field == 'selfAssessmentShare' }.rule", equalTo("range"));
        Map<String, Object> weights = new LinkedHashMap<>(EvaluationMethod.defaultWeights());
        weights.put("sharing", 25);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "from", "2025-01-01", "to", "2026-02-01", "weights", weights))
                .post("/api/v1/evaluations").then().statusCode(400)
                .body("errors.field", hasItems("to", "weights")).body("errors.rule", hasItems("maxRange", "sum"));
        // No agency named and none with traffic in the period: nothing to rank.
        LocalDate quiet = LocalDate.now(ZoneOffset.UTC).minusDays(640);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body(Map.of("name", "quiet " + UUID.randomUUID(), "from", quiet.toString(), "to", quiet.toString()))
                .post("/api/v1/evaluations").then().statusCode(422).body("errors[0].field", equalTo("agencies"))
                .body("errors[0].rule", equalTo("notEmpty"));
        given().auth().oauth2(TestJwt.agencyAdmin(A)).contentType(ContentType.JSON)
                .body(Map.of("name", "mine", "from", today, "to", today, "agencies", List.of(A)))
                .post("/api/v1/evaluations").then().statusCode(403);

        // A period still running cannot be published; a draft can be replaced (If-Match) and deleted.
        String name = "running " + UUID.randomUUID();
        Response created = given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body(Map.of("name", name, "from", today, "to", today, "agencies", List.of(B, A),
                        "weights", Map.of("completeness", 0, "standardisation", 0, "sharing", 50, "integration", 50,
                                "quality", 0, "security", 0, "effectiveness", 0)))
                .post("/api/v1/evaluations");
        created.then().statusCode(201).body("agencies", equalTo(List.of(A, B)));
        String path = "/api/v1/evaluations/" + created.jsonPath().getString("id");
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body(Map.of("name", name, "from", today, "to", today, "agencies", List.of(C))).post("/api/v1/evaluations")
                .then().statusCode(409)
                .body("errors[0].field", equalTo("name"));
        // Nothing assessed weighs anything here, so nobody awaits an assessment; only the period stops it.
        given().auth().oauth2(TestJwt.operator()).get(path).then().statusCode(200).body("awaitingAssessment", equalTo(List.of()));
        given().auth().oauth2(TestJwt.operator()).header("If-Match", "\"1\"").post(path + "/publish").then().statusCode(409)
                .body("errors[0].field", equalTo("to")).body("errors[0].rule", equalTo("ended"));
        given().auth().oauth2(TestJwt.operator()).get(path + "/results").then().statusCode(409);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body(Map.of("name", name, "from", today, "to", today, "agencies", List.of(A)))
                .put(path).then().statusCode(428);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).header("If-Match", "\"1\"")
                .body(Map.of("name", name, "from", today, "to", today, "agencies", List.of(A)))
                .put(path).then().statusCode(200).header("ETag", "\"2\"").body("agencies", equalTo(List.of(A)))
                .body("weights.completeness", equalTo(10));
        given().auth().oauth2(TestJwt.operator()).queryParam("format", "pdf").get(path).then().statusCode(400)
                .body("errors[0].field", equalTo("format"));
        given().auth().oauth2(TestJwt.operator()).header("If-Match", "\"1\"").delete(path).then().statusCode(412);
        given().auth().oauth2(TestJwt.operator()).header("If-Match", "\"2\"").delete(path).then().statusCode(204);
        given().auth().oauth2(TestJwt.operator()).get(path).then().statusCode(404);
        given().auth().oauth2(TestJwt.operator()).get("/api/v1/evaluations/not-a-uuid").then().statusCode(400)
                .body("errors[0].field", equalTo("id"));
        assertNotNull(Fixtures.query("SELECT 1 FROM audit_event WHERE action = 'evaluation.delete' AND resource_id = ?",
                path.substring(path.lastIndexOf('/') + 1)).get(0));
        given().auth().oauth2(TestJwt.agencyAdmin(A)).get("/api/v1/evaluations/criteria").then().statusCode(200)
                .body("find { it.code == 'quality' }.article", equalTo("25.2.đ"))
                .body("code", hasItem("effectiveness"));
    }
}
