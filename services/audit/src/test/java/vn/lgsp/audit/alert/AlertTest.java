package vn.lgsp.audit.alert;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.lgsp.audit.alert.service.AlertEvaluator;
import vn.lgsp.audit.alert.service.WebhookNotifier;
import vn.lgsp.audit.support.Db;
import vn.lgsp.audit.support.Fixtures;
import vn.lgsp.testing.PlatformTestResource;
import vn.lgsp.testing.TestJwt;

/** Alert rules, their evaluation from rollups and routing's reachability events, webhooks and the gauge. */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
class AlertTest {

    static HttpServer hooks;
    static final List<String> received = new CopyOnWriteArrayList<>();
    static final AtomicInteger failing = new AtomicInteger();
    /** Requests to /signed as received: enough to verify their signatures as a receiver would. */
    static final List<Received> signed = new CopyOnWriteArrayList<>();

    record Received(String method, String host, String path, String query, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    @Inject
    AlertEvaluator evaluator;

    @Inject
    Db db;

    @BeforeAll
    static void startWebhookReceiver() throws IOException {
        hooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hooks.createContext("/ok", ex -> {
            received.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        hooks.createContext("/signed", ex -> {
            Map<String, List<String>> headers = new HashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), List.copyOf(v)));
            signed.add(new Received(ex.getRequestMethod(), ex.getRequestHeaders().getFirst("Host"),
                    ex.getRequestURI().getRawPath(), ex.getRequestURI().getRawQuery(), headers, ex.getRequestBody().readAllBytes()));
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        hooks.createContext("/broken", ex -> {
            failing.incrementAndGet();
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(500, -1);
            ex.close();
        });
        hooks.start();
    }

    @AfterAll
    static void stop() {
        hooks.stop(0);
    }

    static String hook(String path) {
        return "http://127.0.0.1:" + hooks.getAddress().getPort() + path;
    }

    static String createRule(Map<String, Object> rule) {
        return given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body(rule)
                .post("/api/v1/alert-rules").then().statusCode(201).extract().path("id");
    }

    static Map<String, Object> unreachable(String system, String errorType, Instant at) {
        Map<String, Object> e = new HashMap<>();
        e.put("eventId", UUID.randomUUID().toString());
        e.put("type", "alert");
        e.put("occurredAt", at.toString());
        e.put("source", "routing");
        e.put("providerSystem", system);
        e.put("providerAgency", "000.00.51.H09");
        e.put("serviceCode", "dan-cu");
        e.put("serviceVersion", "v1");
        e.put("environment", "production");
        e.put("errorType", errorType);
        e.put("detail", "connect timed out");
        return e;
    }

    private static List<Map<String, Object>> alerts(String rule) {
        return given().auth().oauth2(TestJwt.operator()).queryParam("rule", rule).get("/api/v1/alerts")
                .then().statusCode(200).extract().jsonPath().getList("items");
    }

    private static void awaitWebhook(String text) throws InterruptedException {
        for (int i = 0; i < 100 && received.stream().noneMatch(b -> b.contains(text)); i++) {
            Thread.sleep(50);
        }
    }

    @Test
    void providerUnreachableOpensOnRoutingsAlertAndResolvesOnRecovery() throws Exception {
        String system = "HTTT-" + UUID.randomUUID().toString().substring(0, 8);
        String name = "unreachable-" + system;
        createRule(Map.of("name", name, "kind", "provider-unreachable", "providerSystem", system, "webhookUrl", hook("/ok")));
        Instant t0 = Instant.now().minusSeconds(30);
        Fixtures.ingest(List.of(unreachable(system, "upstream-unreachable", t0)));

        assertEquals(1, evaluator.evaluate(Instant.now()).get(name));
        List<Map<String, Object>> open = alerts(name);
        assertEquals(1, open.size());
        assertEquals("open", open.get(0).get("state"));
        assertEquals("000.00.51.H09", open.get(0).get("agency"));
        awaitWebhook(system);
        assertTrue(received.stream().anyMatch(b -> b.contains(system) && b.contains("\"state\":\"open\"")), received.toString());
        given().get("/q/metrics").then().body(containsString("lgsp_audit_alert_active{rule=\"" + name + "\"} 1.0"));

        // still unreachable on the next evaluation: the same alert, no second one
        evaluator.evaluate(Instant.now());
        assertEquals(1, alerts(name).size());

        // an out-of-order older recovery does not resolve it; the real one does
        Fixtures.ingest(List.of(unreachable(system, "upstream-recovered", t0.minusSeconds(60))));
        assertEquals(1, evaluator.evaluate(Instant.now()).get(name));
        Fixtures.ingest(List.of(unreachable(system, "upstream-recovered", t0.plusSeconds(10))));
        assertEquals(0, evaluator.evaluate(Instant.now()).get(name));
        Map<String, Object> resolved = alerts(name).get(0);
        assertEquals("resolved", resolved.get("state"));
        assertTrue(resolved.get("resolvedAt") != null);
        given().get("/q/metrics").then().body(containsString("lgsp_audit_alert_active{rule=\"" + name + "\"} 0.0"));
        awaitWebhook("\"state\":\"resolved\"");
        assertTrue(received.stream().anyMatch(b -> b.contains(system) && b.contains("\"state\":\"resolved\"")));
    }

    @Test
    void errorRateAboveTheThresholdOpensAnAlertTheProviderAgencyCanSeeAndAcknowledge() {
        String service = "svc-" + UUID.randomUUID().toString().substring(0, 8);
        String name = "errors-" + service;
        createRule(Map.of("name", name, "kind", "error-rate", "serviceCode", service, "threshold", 0.5,
                "windowMinutes", 5, "minCalls", 4));
        Instant now = Instant.now();
        Fixtures.ingest(List.of(
                Fixtures.transaction(now, "000.00.52.H01", "C", "000.00.52.H09", "PROV", service, 503, 5),
                Fixtures.transaction(now, "000.00.52.H01", "C", "000.00.52.H09", "PROV", service, 200, 5)));
        assertEquals(0, evaluator.evaluate(Instant.now()).get(name), "below minCalls");
        Fixtures.ingest(List.of(
                Fixtures.transaction(now, "000.00.52.H01", "C", "000.00.52.H09", "PROV", service, 502, 5),
                Fixtures.transaction(now, "000.00.52.H01", "C", "000.00.52.H09", "PROV", service, 500, 5)));
        assertEquals(1, evaluator.evaluate(Instant.now()).get(name));
        Map<String, Object> alert = alerts(name).get(0);
        assertEquals(0.75, ((Number) alert.get("value")).doubleValue(), 1e-9);

        String id = (String) alert.get("id");
        given().auth().oauth2(TestJwt.agencyAdmin("000.00.52.H01")).queryParam("rule", name).get("/api/v1/alerts")
                .then().statusCode(200).body("items.size()", equalTo(0));
        given().auth().oauth2(TestJwt.agencyAdmin("000.00.52.H01")).post("/api/v1/alerts/" + id + "/acknowledge")
                .then().statusCode(404);
        given().auth().oauth2(TestJwt.agencyAdmin("000.00.52.H09")).queryParam("rule", name).get("/api/v1/alerts")
                .then().statusCode(200).body("items.size()", equalTo(1));
        given().auth().oauth2(TestJwt.agencyAdmin("000.00.52.H09")).post("/api/v1/alerts/" + id + "/acknowledge")
                .then().statusCode(200).body("acknowledgedBy", equalTo(actorOf(TestJwt.agencyAdmin("000.00.52.H09"))));

        // ten minutes later the window holds no calls: the condition clears
        assertEquals(0, evaluator.evaluate(Instant.now().plusSeconds(600)).get(name));
        assertEquals("resolved", alerts(name).get(0).get("state"));
    }

    @Test
    void callsRefusedForAnnouncedMaintenanceAreNotProviderErrors() {
        String service = "svc-" + UUID.randomUUID().toString().substring(0, 8);
        String name = "errors-" + service;
        createRule(Map.of("name", name, "kind", "error-rate", "serviceCode", service, "threshold", 0.5,
                "windowMinutes", 5, "minCalls", 4));
        Instant now = Instant.now();
        List<Map<String, Object>> planned = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Map<String, Object> e = Fixtures.transaction(now, "000.00.53.H01", "C", "000.00.53.H09", "PROV", service, 503, 1);
            e.put("errorType", "maintenance");
            planned.add(e);
        }
        Fixtures.ingest(planned);
        assertEquals(0, evaluator.evaluate(Instant.now()).get(name), "a planned window is not an incident");

        Fixtures.ingest(List.of(
                Fixtures.transaction(now, "000.00.53.H01", "C", "000.00.53.H09", "PROV", service, 502, 5),
                Fixtures.transaction(now, "000.00.53.H01", "C", "000.00.53.H09", "PROV", service, 500, 5),
                Fixtures.transaction(now, "000.00.53.H01", "C", "000.00.53.H09", "PROV", service, 503, 5),
                Fixtures.transaction(now, "000.00.53.H01", "C", "000.00.53.H09", "PROV", service, 504, 5),
                Fixtures.transaction(now, "000.00.53.H01", "C", "000.00.53.H09", "PROV", service, 500, 5)));
        assertEquals(1, evaluator.evaluate(Instant.now()).get(name), "real failures still alert");
        assertEquals(5.0 / 9, ((Number) alerts(name).get(0).get("value")).doubleValue(), 1e-6,
                "the refused calls count as calls, not as errors");
    }

    @Test
    void alertWebhooksAreSignedWithASecretShownOnceAndRotatable() throws Exception {
        String system = "HTTT-" + UUID.randomUUID().toString().substring(0, 8);
        String name = "signed-" + system;
        var created = given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body(Map.of("name", name, "kind", "provider-unreachable", "providerSystem", system, "webhookUrl", hook("/signed")))
                .post("/api/v1/alert-rules").then().statusCode(201).header("Cache-Control", "no-store").extract().jsonPath();
        String id = created.getString("id");
        String keyId = created.getString("webhookKeyId");
        String secret = created.getString("webhookSecret");
        assertEquals(id + ".1", keyId);
        assertTrue(secret.startsWith("whsec_") && secret.length() > 40, "a strong secret: " + secret.length());
        // Shown once: reading the rule gives its key id, never the secret.
        given().auth().oauth2(TestJwt.operator()).get("/api/v1/alert-rules/" + id).then().statusCode(200)
                .body("webhookKeyId", equalTo(keyId)).body("$", not(org.hamcrest.Matchers.hasKey("webhookSecret")))
                .body("$", not(org.hamcrest.Matchers.hasKey("webhookSecretGeneration")));

        Instant t0 = Instant.now().minusSeconds(30);
        Fixtures.ingest(List.of(unreachable(system, "upstream-unreachable", t0)));
        assertEquals(1, evaluator.evaluate(Instant.now()).get(name));
        Received opened = awaitSigned(system, "\"state\":\"open\"");
        assertEquals(keyId, verify(opened, keyId, secret).keyId(), "verifies with the platform's RFC 9421 verifier");
        Received forged = new Received(opened.method(), opened.host(), opened.path(), opened.query(), opened.headers(),
                opened.text().replace("open", "shut").getBytes(StandardCharsets.UTF_8));
        org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> verify(forged, keyId, secret),
                "a changed body does not verify");

        // Rotation: a new secret, shown once, audited without it; the old one no longer verifies.
        given().auth().oauth2(TestJwt.auditor()).post("/api/v1/alert-rules/" + id + "/webhook-secret").then().statusCode(403);
        var rotated = given().auth().oauth2(TestJwt.operator()).post("/api/v1/alert-rules/" + id + "/webhook-secret").then()
                .statusCode(200).header("Cache-Control", "no-store").extract().jsonPath();
        String newKeyId = rotated.getString("webhookKeyId");
        String newSecret = rotated.getString("webhookSecret");
        assertEquals(id + ".2", newKeyId);
        assertTrue(!newSecret.equals(secret));
        Fixtures.ingest(List.of(unreachable(system, "upstream-recovered", t0.plusSeconds(10))));
        assertEquals(0, evaluator.evaluate(Instant.now()).get(name));
        Received resolved = awaitSigned(system, "\"state\":\"resolved\"");
        assertEquals(newKeyId, verify(resolved, newKeyId, newSecret).keyId());
        org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, () -> verify(resolved, keyId, secret));
        List<Map<String, Object>> log = given().auth().oauth2(TestJwt.operator())
                .queryParam("type", "admin_action").queryParam("limit", 500).get("/api/v1/events").then().statusCode(200)
                .extract().jsonPath().getList("items.event");
        assertTrue(log.stream().anyMatch(e -> "alert-rule.webhook-secret.rotate".equals(e.get("action"))
                && id.equals(e.get("resourceId"))), "the rotation is audited");
        assertTrue(log.stream().noneMatch(e -> String.valueOf(e).contains(newSecret) || String.valueOf(e).contains(secret)),
                "no secret in the audit log");

        // A rule without a webhook has no secret to rotate; giving it one shows its secret in that answer.
        String quiet = createRule(Map.of("name", "nohook-" + system, "kind", "provider-unreachable", "providerSystem", system));
        given().auth().oauth2(TestJwt.operator()).post("/api/v1/alert-rules/" + quiet + "/webhook-secret").then()
                .statusCode(409).body("errors[0].field", equalTo("webhookUrl"));
        given().auth().oauth2(TestJwt.operator()).header("If-Match", "\"1\"").contentType(ContentType.JSON)
                .body(Map.of("name", "nohook-" + system, "kind", "provider-unreachable", "providerSystem", system,
                        "webhookUrl", hook("/signed")))
                .put("/api/v1/alert-rules/" + quiet).then().statusCode(200).header("Cache-Control", "no-store")
                .body("webhookKeyId", equalTo(quiet + ".2")).body("webhookSecret", org.hamcrest.Matchers.startsWith("whsec_"));
    }

    private static Received awaitSigned(String text, String state) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            for (Received r : signed) {
                if (r.text().contains(text) && r.text().contains(state)) {
                    return r;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no signed webhook with " + text + " " + state + ": " + signed.size() + " received");
    }

    /** Checks a received alert webhook exactly as its receiver would: digest, then the RFC 9421 signature. */
    private static vn.lgsp.common.httpsig.HttpSignatures.Verified verify(Received r, String keyId, String secret) {
        vn.lgsp.common.httpsig.ContentDigest.verify(r.header("content-digest"), r.body());
        vn.lgsp.common.httpsig.SignedMessage message = vn.lgsp.common.httpsig.SignedMessage.of(r.method(), "http", r.host(),
                r.path(), r.query(), r.headers());
        Map<String, Boolean> nonces = new java.util.concurrent.ConcurrentHashMap<>();
        return vn.lgsp.common.httpsig.HttpSignatures.verify(message, true,
                k -> k.equals(keyId) ? List.of(vn.lgsp.common.httpsig.HttpSignatures.keyBytes(secret)) : List.of(),
                (k, nonce, until) -> nonces.putIfAbsent(k + nonce, true) == null, java.time.Clock.systemUTC());
    }

    private static String actorOf(String jwt) {
        String payload = new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
        return new JsonPath(payload).getString("sub");
    }

    @Test
    void alertsArePagedNewestFirstWithACursorThatNeitherRepeatsNorSkips() {
        // Rows of a rule that does not exist: the background evaluation never touches them.
        String rule = "paging-" + UUID.randomUUID().toString().substring(0, 8);
        Instant base = Instant.parse("2026-11-20T08:00:00.123456Z");
        List<String> expected = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            // Two alerts share each opening time: the id orders them.
            Instant at = base.plusSeconds(i / 2);
            UUID id = UUID.randomUUID();
            db.q("""
                    INSERT INTO audit_alert (id, rule_name, kind, subject, state, opened_at, resolved_at)
                    VALUES ($1, $2, 'no-traffic', $3, 'resolved', $4, $4)""", id, rule, "s" + i, Db.utc(at));
            expected.add(at + " " + id);
        }
        expected.sort(java.util.Comparator.reverseOrder());
        List<String> seen = new java.util.ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            var req = given().auth().oauth2(TestJwt.auditor()).queryParam("rule", rule).queryParam("limit", 3);
            if (cursor != null) {
                req = req.queryParam("cursor", cursor);
            }
            JsonPath page = req.get("/api/v1/alerts").then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> items = page.getList("items");
            assertTrue(items.size() <= 3, "limit honoured");
            items.forEach(a -> seen.add(Instant.parse((String) a.get("openedAt")) + " " + a.get("id")));
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null && pages < 10);
        assertEquals(3, pages, "7 alerts in pages of 3");
        assertEquals(expected.stream().map(e -> e.substring(e.indexOf(' ') + 1)).toList(),
                seen.stream().map(e -> e.substring(e.indexOf(' ') + 1)).toList(), "newest first, each once");
    }

    @Test
    void noTrafficWhereTrafficIsExpectedAndFailedAsyncDeliveries() {
        String service = "svc-" + UUID.randomUUID().toString().substring(0, 8);
        createRule(Map.of("name", "quiet-" + service, "kind", "no-traffic", "serviceCode", service, "serviceVersion", "v1",
                "windowMinutes", 15));
        createRule(Map.of("name", "async-" + service, "kind", "async-failures", "serviceCode", service, "threshold", 2));
        Map<String, Integer> first = evaluator.evaluate(Instant.now());
        assertEquals(1, first.get("quiet-" + service));
        assertEquals(0, first.get("async-" + service));

        Instant now = Instant.now();
        Map<String, Object> ok = Fixtures.transaction(now, "000.00.53.H01", "C", "000.00.53.H09", "P", service, 200, 5);
        Map<String, Object> failed1 = Fixtures.transaction(now, "000.00.53.H01", "C", "000.00.53.H09", "P", service, 502, 5);
        failed1.put("mode", "async");
        Map<String, Object> failed2 = Fixtures.transaction(now, "000.00.53.H01", "C", "000.00.53.H09", "P", service, 200, 5);
        failed2.put("mode", "async");
        failed2.put("errorType", "callback-failed");
        Fixtures.ingest(List.of(ok, failed1, failed2));
        Map<String, Integer> second = evaluator.evaluate(Instant.now());
        assertEquals(0, second.get("quiet-" + service));
        assertEquals(1, second.get("async-" + service));
        assertEquals("resolved", alerts("quiet-" + service).get(0).get("state"));
        assertEquals("open", alerts("async-" + service).get(0).get("state"));

        // The platform refusing a sender (no subscription, access level) is a violation, not data failing to pass.
        String refusedService = "svc-" + UUID.randomUUID().toString().substring(0, 8);
        createRule(Map.of("name", "async-" + refusedService, "kind", "async-failures", "serviceCode", refusedService,
                "threshold", 1));
        List<Map<String, Object>> refusals = new java.util.ArrayList<>();
        for (String type : List.of("access-level", "not-subscribed", "unprocessable")) {
            Map<String, Object> r = Fixtures.transaction(now, "000.00.53.H01", "C", "000.00.53.H09", "P", refusedService,
                    "unprocessable".equals(type) ? 422 : 403, 1);
            r.put("mode", "async");
            r.put("errorType", type);
            refusals.add(r);
        }
        Fixtures.ingest(refusals);
        assertEquals(0, evaluator.evaluate(Instant.now()).get("async-" + refusedService));
    }

    static Map<String, Object> authFailure(Instant at, String source, String clientId) {
        Map<String, Object> e = new HashMap<>();
        e.put("eventId", UUID.randomUUID().toString());
        e.put("type", "auth_failure");
        e.put("occurredAt", at.toString());
        e.put("source", source);
        e.put("clientId", clientId);
        e.put("method", "POST");
        e.put("path", "/oauth2/token");
        e.put("status", 401);
        e.put("errorType", "invalid_client");
        return e;
    }

    private static Map<String, Object> alertOf(String rule, String subject) {
        return alerts(rule).stream().filter(a -> subject.equals(a.get("subject"))).findFirst().orElse(null);
    }

    @Test
    void refusedCredentialsClaimingOneIdentityRaiseAnAlertWhereverTheyWereTried() {
        String name = "auth-" + UUID.randomUUID().toString().substring(0, 8);
        String guessed = "ck_" + UUID.randomUUID().toString().substring(0, 12);
        String other = "ck_" + UUID.randomUUID().toString().substring(0, 12);
        createRule(Map.of("name", name, "kind", "auth-failures", "threshold", 3, "windowMinutes", 10));
        String subject = "credentials of " + guessed;

        Instant now = Instant.now();
        // two refusals at auth's token endpoint and one signature refused by routing: three for one identity
        Fixtures.ingest(List.of(authFailure(now, "auth", guessed), authFailure(now, "auth", guessed),
                authFailure(now, "auth", other), authFailure(now, "auth", other)));
        evaluator.evaluate(Instant.now());
        assertEquals(null, alertOf(name, subject), "two refusals are below the threshold of three");
        Map<String, Object> signature = authFailure(now, "routing", guessed);
        signature.put("errorType", "signature-refused");
        Fixtures.ingest(List.of(signature));
        evaluator.evaluate(Instant.now());
        Map<String, Object> open = alertOf(name, subject);
        assertTrue(open != null && "open".equals(open.get("state")), "three refusals claiming one identity: " + alerts(name));
        assertEquals(3.0f, ((Number) open.get("value")).floatValue());
        assertTrue(open.get("detail").toString().contains("auth, routing"), open.get("detail").toString());
        assertEquals(null, open.get("agencyCode"), "an operators' alert: the identity is as claimed");
        assertEquals(null, alertOf(name, "credentials of " + other), "another identity with two refusals is not alerted");

        // identities that differ only in what PostgreSQL's encoding keeps, and one claiming none, in one batch: stored
        // (a batch audit refused would be sent again forever)
        Fixtures.ingest(List.of(authFailure(now, "auth", "\u0001" + guessed), authFailure(now, "auth", null),
                authFailure(now, "auth", "\ud800"), authFailure(now, "auth", "\udbff")));

        // the window moves past them: resolved
        evaluator.evaluate(Instant.now().plusSeconds(11 * 60));
        assertEquals("resolved", alertOf(name, subject).get("state"));

        // a rule of this kind watches every service: a service filter would match nothing, so it is refused
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body(Map.of("name", name + "-x", "kind", "auth-failures", "serviceCode", "ho-tich", "threshold", 0))
                .post("/api/v1/alert-rules").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("serviceCode")).body("errors.rule", hasItem("notApplicable"))
                .body("errors.field", hasItem("threshold"));
    }

    @Test
    void aFailingWebhookIsRetriedABoundedNumberOfTimesAndNeverBlocksEvaluation() throws Exception {
        String service = "svc-" + UUID.randomUUID().toString().substring(0, 8);
        String name = "quiet-broken-" + service;
        createRule(Map.of("name", name, "kind", "no-traffic", "serviceCode", service, "webhookUrl", hook("/broken")));
        int before = failing.get();
        long t0 = System.nanoTime();
        assertEquals(1, evaluator.evaluate(Instant.now()).get(name));
        assertTrue(System.nanoTime() - t0 < 2_000_000_000L, "evaluation does not wait for the webhook");
        for (int i = 0; i < 100 && failing.get() - before < 4; i++) {
            Thread.sleep(50);
        }
        Thread.sleep(500);
        assertEquals(4, failing.get() - before, "lgsp.audit.alerts.webhook-attempts = 4, then it gives up");
        given().get("/q/metrics").then().body(containsString("lgsp_audit_alert_webhook_failures_total"));
    }

    @Inject
    WebhookNotifier notifier;

    @Test
    void alertWebhooksGoOnlyToCheckedAddressesAndNeverToInternalOnes() throws Exception {
        String service = "svc-" + UUID.randomUUID().toString().substring(0, 8);
        // Internal addresses are refused when the rule is saved, literal ones named, names only said to be internal.
        for (String[] bad : new String[][] { { "http://10.1.2.3/hook", "10.1.2.3 (private address)" },
                { "http://169.254.169.254/latest/meta-data", "169.254.169.254 (link-local address)" },
                { "http://[fd00:ec2::254]/", "fd00:ec2:0:0:0:0:0:254 (private address)" } }) {
            given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                    .body(Map.of("name", "ssrf-" + UUID.randomUUID().toString().substring(0, 8), "kind", "no-traffic",
                            "serviceCode", service, "webhookUrl", bad[0]))
                    .post("/api/v1/alert-rules").then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("webhookUrl")).body("errors[0].rule", equalTo("publicAddress"))
                    .body("errors[0].message", containsString(bad[1]));
        }
        String internalName = "metadata.internal.test";
        String receiverName = "alerts.receiver.test";
        java.util.concurrent.atomic.AtomicReference<String> receiverAt = new java.util.concurrent.atomic.AtomicReference<>("127.0.0.1");
        notifier.resolveWith(host -> host.equals(internalName) ? new java.net.InetAddress[] { java.net.InetAddress.getByName("10.9.8.7") }
                : host.equals(receiverName) ? new java.net.InetAddress[] { java.net.InetAddress.getByName(receiverAt.get()) }
                : java.net.InetAddress.getAllByName(host));
        try {
            given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                    .body(Map.of("name", "ssrf-name-" + service, "kind", "no-traffic", "serviceCode", service,
                            "webhookUrl", "http://" + internalName + "/hook"))
                    .post("/api/v1/alert-rules").then().statusCode(400).body("errors[0].rule", equalTo("publicAddress"))
                    .body("errors[0].message", containsString("resolves to a private/loopback address"))
                    .body("errors[0].message", not(containsString("10.9.8.7")));

            // A name resolving to an allowed address: the request reaches that very address under the URL's name.
            String url = "http://" + receiverName + ":" + hooks.getAddress().getPort() + "/signed";
            String name = "pinned-" + service;
            createRule(Map.of("name", name, "kind", "no-traffic", "serviceCode", service, "webhookUrl", url));
            int before = signed.size();
            assertEquals(1, evaluator.evaluate(Instant.now()).get(name));
            for (int i = 0; i < 100 && signed.size() == before; i++) {
                Thread.sleep(50);
            }
            Received got = signed.stream().filter(r -> r.text().contains(name)).findFirst().orElseThrow();
            assertEquals(receiverName + ":" + hooks.getAddress().getPort(), got.host());

            // Another rule to the same receiver, accepted while the name answers 127.0.0.1; then the name answers with
            // an internal address (rebinding): its notification is refused at delivery, once, and nothing is sent.
            String other = "rebound-" + service;
            createRule(Map.of("name", other, "kind", "no-traffic", "serviceCode", service + "-x", "webhookUrl", url));
            receiverAt.set("10.0.0.7");
            double refusedBefore = refusedCount();
            int sizeBefore = signed.size();
            assertEquals(1, evaluator.evaluate(Instant.now()).get(other));
            for (int i = 0; i < 100 && refusedCount() == refusedBefore; i++) {
                Thread.sleep(50);
            }
            assertEquals(refusedBefore + 1, refusedCount(), "refused once, not retried");
            Thread.sleep(300);
            assertTrue(signed.stream().skip(sizeBefore).noneMatch(r -> r.text().contains(other)), "nothing was sent");
        } finally {
            notifier.resolveWith(null);
        }
    }

    private static double refusedCount() {
        String metrics = given().get("/q/metrics").then().extract().asString();
        return metrics.lines().filter(l -> l.startsWith("lgsp_audit_alert_webhook_refused_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0);
    }

    @Test
    void rulesAreValidatedAuditedAndForOperators() {
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "kind", "sunspots")).post("/api/v1/alert-rules")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("kind")).body("errors.rule", hasItem("enum"));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body(Map.of("name", "bad rate", "kind", "error-rate", "threshold", 5)).post("/api/v1/alert-rules")
                .then().statusCode(400).body("errors.field", hasItem("name")).body("errors.field", hasItem("threshold"));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body(Map.of("name", "hooky", "kind", "no-traffic", "serviceCode", "s", "webhookUrl", "ftp://x"))
                .post("/api/v1/alert-rules").then().statusCode(400).body("errors[0].field", equalTo("webhookUrl"));
        given().auth().oauth2(TestJwt.agencyAdmin("000.00.01.H01")).contentType(ContentType.JSON)
                .body(Map.of("name", "mine", "kind", "provider-unreachable")).post("/api/v1/alert-rules")
                .then().statusCode(403);

        String name = "rule-" + UUID.randomUUID().toString().substring(0, 8);
        String id = createRule(Map.of("name", name, "kind", "provider-unreachable"));
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body(Map.of("name", name, "kind", "provider-unreachable")).post("/api/v1/alert-rules")
                .then().statusCode(409).body("errors[0].field", equalTo("name"));
        String etag = given().auth().oauth2(TestJwt.auditor()).get("/api/v1/alert-rules/" + id).then().statusCode(200)
                .extract().header("ETag");
        assertEquals("\"1\"", etag);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body(Map.of("name", name, "kind", "error-rate", "threshold", 0.2)).put("/api/v1/alert-rules/" + id)
                .then().statusCode(428).contentType("application/problem+json");
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).header("If-Match", "\"7\"")
                .body(Map.of("name", name, "kind", "error-rate", "threshold", 0.2)).put("/api/v1/alert-rules/" + id)
                .then().statusCode(412);
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).header("If-Match", etag)
                .body(Map.of("name", name, "kind", "error-rate", "threshold", 0.2)).put("/api/v1/alert-rules/" + id)
                .then().statusCode(200).header("ETag", "\"2\"").body("kind", equalTo("error-rate"))
                .body("windowMinutes", equalTo(5)).body("version", equalTo(2));
        given().auth().oauth2(TestJwt.auditor()).get("/api/v1/alert-rules/" + id).then().statusCode(200)
                .body("threshold", equalTo(0.2f));
        given().auth().oauth2(TestJwt.operator()).header("If-Match", etag).delete("/api/v1/alert-rules/" + id)
                .then().statusCode(412);
        given().auth().oauth2(TestJwt.operator()).delete("/api/v1/alert-rules/" + id).then().statusCode(204);
        given().auth().oauth2(TestJwt.operator()).get("/api/v1/alert-rules/" + id).then().statusCode(404);

        JsonPath log = given().auth().oauth2(TestJwt.auditor()).queryParam("type", "admin_action").queryParam("limit", 500)
                .get("/api/v1/events").then().statusCode(200).extract().jsonPath();
        List<String> actions = log.getList("items.findAll { it.event.resourceId == '" + id + "' }.event.action");
        assertTrue(actions.containsAll(List.of("alert-rule.create", "alert-rule.update", "alert-rule.delete")), actions.toString());
        given().auth().oauth2(TestJwt.operator()).queryParam("state", "sleeping").get("/api/v1/alerts")
                .then().statusCode(400).body("errors[0].field", equalTo("state"));
        given().auth().oauth2(TestJwt.operator()).queryParam("limit", 0).get("/api/v1/alerts")
                .then().statusCode(400).body("errors[0].field", equalTo("limit"));
        given().auth().oauth2(TestJwt.operator()).queryParam("rule", name).get("/api/v1/alerts").then().statusCode(200)
                .body("items.rule", not(hasItem(name)));
        given().auth().oauth2(TestJwt.operator()).queryParam("cursor", "not-ours").get("/api/v1/alerts")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("cursor"));
    }
}
