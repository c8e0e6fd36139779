package vn.lgsp.routing.exchange;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import vn.lgsp.common.audit.AuditEvent;
import vn.lgsp.common.audit.AuditPublisher;
import vn.lgsp.common.httpsig.ContentDigest;
import vn.lgsp.routing.exchange.service.ExchangeNotices;
import vn.lgsp.routing.support.RoutingTestResource;
import vn.lgsp.testing.TestJwt;

/**
 * The asynchronous exchange (REQUIREMENTS X5) over real HTTP and the real PostgreSQL: the eight steps between a
 * subscribed source (HTTT-MOTCUA) and the provider of ho-tich v1 (HTTT-HOTICH), the real-time notices on a
 * server-sent event stream, and every refusal with the field and rule it names.
 */
@QuarkusTest
@QuarkusTestResource(RoutingTestResource.class)
class ExchangeTest {

    private static final String SOURCE = TestJwt.system(RoutingTestResource.CONSUMER, RoutingTestResource.CONSUMER_AGENCY,
            "production");
    private static final String RECIPIENT = TestJwt.system(RoutingTestResource.PROVIDER,
            RoutingTestResource.PROVIDER_AGENCY, "production");
    private static final String STRANGER = TestJwt.system(RoutingTestResource.UNSUBSCRIBED_SYSTEM, "000.00.00.H09",
            "production");
    private static final String JSON_BODY = "{\"hoSo\":[{\"soDinhDanh\":\"001099012345\",\"hoTen\":\"Nguyễn Văn A\"}],"
            + "\"thang\":\"2026-11\",\"marker\":\"PAYLOAD-MUST-NOT-LEAK\"}";

    @TestHTTPResource("/api/v1/exchanges/events")
    URI events;

    @Inject
    AuditPublisher publisher;

    @Inject
    ExchangeNotices notices;

    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    @Inject
    ObjectMapper mapper;

    @Test
    void theEightStepsFromRequestToConfirmedDelivery() throws Exception {
        waitUntilListening();
        try (SseClient recipientStream = new SseClient(events, RECIPIENT, null)) {
            assertEquals(200, recipientStream.status());
            assertTrue(recipientStream.contentType().startsWith("text/event-stream"), recipientStream.contentType());
            given().auth().oauth2(TestJwt.operator()).get("/api/v1/routing/status").then().statusCode(200)
                    .body("exchange.listening", equalTo(true)).body("exchange.streams", greaterThanOrEqualTo(1));

            // 2. the exchange request: the provider of ho-tich v1 is the recipient; space is allocated
            Response created = create(SOURCE, request("json", "P3D", 65536L));
            created.then().statusCode(201).header("Location", containsString("/api/v1/exchanges/"))
                    .body("state", equalTo("awaiting-upload")).body("recipientSystem", equalTo(RoutingTestResource.PROVIDER))
                    .body("recipientAgency", equalTo(RoutingTestResource.PROVIDER_AGENCY))
                    .body("sourceSystem", equalTo(RoutingTestResource.CONSUMER)).body("maxBytes", equalTo(65536))
                    .body("importance", equalTo("high")).body("protocol", equalTo("rest"))
                    .body("uploadUri", containsString("/content")).body("contentUri", nullValue());
            String id = created.path("id");

            // the recipient is told nothing before the content is there, and cannot accept yet
            given().auth().oauth2(RECIPIENT).post("/api/v1/exchanges/" + id + "/accept").then().statusCode(409)
                    .body("type", containsString("illegal-transition")).body("detail", containsString("not uploaded"));

            // 3–5. upload with its digest; analysed, converted formats offered, recipient told in real time
            byte[] content = JSON_BODY.getBytes(StandardCharsets.UTF_8);
            given().auth().oauth2(SOURCE).contentType("application/json").header("Content-Digest",
                    ContentDigest.sha256Header(content)).body(content).put("/api/v1/exchanges/" + id + "/content").then()
                    .statusCode(200).body("state", equalTo("ready")).body("contentBytes", equalTo(content.length))
                    .body("contentSha256", equalTo(sha256(content))).body("formats", contains("json", "xml"));
            SseClient.Event ready = recipientStream.next("exchange.ready", Duration.ofSeconds(5));
            assertNotNull(ready, "the recipient's stream announces the envelope");
            JsonObject notice = new JsonObject(ready.data());
            assertEquals(id, notice.getString("id"));
            assertEquals("ready", notice.getString("state"));
            assertEquals(RoutingTestResource.CONSUMER, notice.getString("sourceSystem"));
            assertFalse(ready.data().contains("PAYLOAD-MUST-NOT-LEAK"), "a notice never carries the content");
            assertNotNull(ready.id());

            // 1. each side finds it in its box; nobody else does
            given().auth().oauth2(RECIPIENT).queryParam("state", "ready").get("/api/v1/exchanges").then().statusCode(200)
                    .body("items.id", hasItem(id));
            given().auth().oauth2(SOURCE).queryParam("box", "outbox").get("/api/v1/exchanges").then().statusCode(200)
                    .body("items.id", hasItem(id));
            given().auth().oauth2(SOURCE).get("/api/v1/exchanges").then().statusCode(200).body("items.id", not(hasItem(id)));
            given().auth().oauth2(STRANGER).get("/api/v1/exchanges/" + id).then().statusCode(404)
                    .contentType("application/problem+json");
            given().auth().oauth2(TestJwt.auditor()).get("/api/v1/exchanges/" + id).then().statusCode(200)
                    .body("state", equalTo("ready"));

            // 6. pull only after saying ready; only the recipient pulls; then as uploaded or converted
            given().auth().oauth2(RECIPIENT).get("/api/v1/exchanges/" + id + "/content").then().statusCode(409);
            given().auth().oauth2(RECIPIENT).post("/api/v1/exchanges/" + id + "/accept").then().statusCode(200)
                    .body("state", equalTo("accepted")).body("contentUri", equalTo("/api/v1/exchanges/" + id + "/content"));
            given().auth().oauth2(SOURCE).get("/api/v1/exchanges/" + id + "/content").then().statusCode(403);
            given().auth().oauth2(RECIPIENT).accept("text/csv").get("/api/v1/exchanges/" + id + "/content").then()
                    .statusCode(406).body("detail", containsString("application/xml"));
            byte[] original = given().auth().oauth2(RECIPIENT).get("/api/v1/exchanges/" + id + "/content").then()
                    .statusCode(200).contentType("application/json").header("Cache-Control", "no-store")
                    .header("Content-Digest", ContentDigest.sha256Header(content)).extract().asByteArray();
            assertEquals(JSON_BODY, new String(original, StandardCharsets.UTF_8));
            Response xml = given().auth().oauth2(RECIPIENT).accept("application/xml").get("/api/v1/exchanges/" + id + "/content");
            xml.then().statusCode(200).contentType(containsString("application/xml"));
            String xmlText = xml.asString();
            assertTrue(xmlText.startsWith("<data>") && xmlText.contains("<soDinhDanh>001099012345</soDinhDanh>"), xmlText);
            String xmlSha = xml.header("X-Content-SHA256");
            assertEquals(sha256(xml.asByteArray()), xmlSha);

            // 7–8. confirmation by digest: a wrong one is refused, the converted one is accepted
            given().auth().oauth2(RECIPIENT).contentType("application/json").body("{\"sha256\":\"" + "0".repeat(64) + "\"}")
                    .post("/api/v1/exchanges/" + id + "/confirm").then().statusCode(422)
                    .body("errors[0].field", equalTo("sha256")).body("errors[0].rule", equalTo("matches"));
            given().auth().oauth2(RECIPIENT).contentType("application/json").body("{\"sha256\":\"" + xmlSha + "\"}")
                    .post("/api/v1/exchanges/" + id + "/confirm").then().statusCode(200).body("state", equalTo("delivered"))
                    .body("downloads", equalTo(2)).body("finishedAt", not(nullValue()));

            // the content is gone, the status stays for the source and the auditors
            given().auth().oauth2(RECIPIENT).get("/api/v1/exchanges/" + id + "/content").then().statusCode(410)
                    .contentType("application/problem+json");
            given().auth().oauth2(SOURCE).get("/api/v1/exchanges/" + id).then().statusCode(200)
                    .body("state", equalTo("delivered")).body("contentSha256", equalTo(sha256(content)));

            // the source's stream, reconnecting from the start, is sent what it missed, in order
            try (SseClient sourceStream = new SseClient(events, SOURCE, "0")) {
                // (other tests' envelopes from the same source may come first)
                SseClient.Event accepted = sourceStream.next("exchange.accepted", id, Duration.ofSeconds(5));
                assertNotNull(accepted);
                SseClient.Event delivered = sourceStream.next("exchange.delivered", id, Duration.ofSeconds(5));
                assertNotNull(delivered);
                assertTrue(Long.parseLong(delivered.id()) > Long.parseLong(accepted.id()));
            }

            // every call is an async transaction record with sizes and digests, never the content
            List<AuditEvent> records = records(id, 6);
            for (AuditEvent e : records) {
                assertEquals(AuditEvent.MODE_ASYNC, e.mode());
                assertEquals(RoutingTestResource.CONSUMER, e.consumerSystem());
                assertEquals(RoutingTestResource.PROVIDER, e.providerSystem());
                assertEquals("ho-tich", e.serviceCode());
                assertFalse(mapper.writeValueAsString(e).contains("PAYLOAD-MUST-NOT-LEAK"));
            }
            AuditEvent upload = records.stream().filter(e -> "PUT".equals(e.method())).findFirst().orElseThrow();
            assertEquals(sha256(content), upload.requestSha256());
            assertEquals((long) content.length, upload.requestBytes());
            assertTrue(records.stream().anyMatch(e -> "GET".equals(e.method()) && xmlSha.equals(e.responseSha256())),
                    "each pull is a delivery attempt with the digest served");
        }
    }

    @Test
    void theRequestIsRefusedNamingTheFieldAndTheRule() {
        given().auth().oauth2(SOURCE).contentType("application/json").body("{\"title\":\"x\"}").post("/api/v1/exchanges")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", hasItem("serviceCode")).body("errors.field", hasItem("dataType"));
        given().auth().oauth2(SOURCE).contentType("application/json").body(request("pdf", null, null).put("importance", "x").encode())
                .post("/api/v1/exchanges").then().statusCode(400).body("errors.field", hasItem("dataType"))
                .body("errors.field", hasItem("importance"));
        given().auth().oauth2(SOURCE).contentType("application/json").body(request("json", "P99D", null).encode())
                .post("/api/v1/exchanges").then().statusCode(400).body("errors[0].field", equalTo("policy.expiresIn"))
                .body("errors[0].rule", equalTo("max"));
        given().auth().oauth2(SOURCE).contentType("application/json").body(request("json", "PXD", null).encode())
                .post("/api/v1/exchanges").then().statusCode(400).body("errors[0].field", equalTo("policy.expiresIn"))
                .body("errors[0].rule", equalTo("duration"));
        given().auth().oauth2(SOURCE).contentType("application/json").body(request("json", "-PT1H", null).encode())
                .post("/api/v1/exchanges").then().statusCode(400).body("errors[0].field", equalTo("policy.expiresIn"));
        given().auth().oauth2(SOURCE).contentType("application/json").body(request("json", null, 1L << 40).encode())
                .post("/api/v1/exchanges").then().statusCode(400).body("errors[0].field", equalTo("policy.maxBytes"))
                .body("errors[0].rule", equalTo("max"));
        // who may send to whom: the subscription model of the gateway
        create(STRANGER, request("json", null, null)).then().statusCode(403).body("type", containsString("not-subscribed"));
        create(SOURCE, request("json", null, null).put("serviceCode", "han-che")).then().statusCode(403)
                .body("type", containsString("not-subscribed"));
        create(TestJwt.system(RoutingTestResource.PERIOD_OVER, RoutingTestResource.CONSUMER_AGENCY, "production"),
                request("json", null, null)).then().statusCode(403).body("detail", containsString("period of use"));
        create(SOURCE, request("json", null, null).put("serviceCode", "dat-dai")).then().statusCode(422)
                .body("errors[0].field", equalTo("version")).body("errors[0].rule", equalTo("notRetired"));
        create(SOURCE, request("json", null, null).put("serviceCode", "thue")).then().statusCode(422)
                .body("errors[0].field", equalTo("serviceCode")).body("errors[0].rule", equalTo("published"));
        create(SOURCE, request("json", null, null).put("serviceCode", "thu-nghiem")).then().statusCode(422)
                .body("errors[0].rule", equalTo("published"));
        create(TestJwt.system(RoutingTestResource.CONSUMER, RoutingTestResource.CONSUMER_AGENCY, "test"),
                request("json", null, null).put("serviceCode", "thu-nghiem")).then().statusCode(201)
                .body("environment", equalTo("test"));
        create(TestJwt.operator(), request("json", null, null)).then().statusCode(403);
        given().contentType("application/json").body(request("json", null, null).encode()).post("/api/v1/exchanges")
                .then().statusCode(401);
        given().auth().oauth2(SOURCE).queryParam("box", "sideways").get("/api/v1/exchanges").then().statusCode(400)
                .body("errors[0].field", equalTo("box"));
        given().auth().oauth2(SOURCE).queryParam("system", RoutingTestResource.PROVIDER).get("/api/v1/exchanges").then()
                .statusCode(403);
        given().auth().oauth2(SOURCE).header("Last-Event-ID", "abc").get("/api/v1/exchanges/events").then()
                .statusCode(400).body("errors[0].field", equalTo("Last-Event-ID"));
    }

    @Test
    void theUploadMustBeWhatTheEnvelopeAnnounced() {
        String id = create(SOURCE, request("json", null, 64L)).then().statusCode(201).extract().path("id");
        String uri = "/api/v1/exchanges/" + id + "/content";
        given().auth().oauth2(RECIPIENT).contentType("application/json").body("{}").put(uri).then().statusCode(403);
        given().auth().oauth2(SOURCE).contentType("text/csv").body("a,b\n").put(uri).then().statusCode(415)
                .contentType("application/problem+json").body("detail", containsString("application/json"));
        given().auth().oauth2(SOURCE).contentType("application/json").body("{\"a\":\"" + "x".repeat(80) + "\"}").put(uri)
                .then().statusCode(413).body("type", containsString("payload-too-large"));
        given().auth().oauth2(SOURCE).contentType("application/json").header("Content-Digest",
                ContentDigest.sha256Header("{\"b\":1}".getBytes(StandardCharsets.UTF_8))).body("{\"a\":1}").put(uri)
                .then().statusCode(400).body("errors[0].field", equalTo("Content-Digest"));
        given().auth().oauth2(SOURCE).contentType("application/json").body("{\"a\":\n[1,2,}").put(uri).then()
                .statusCode(422).body("errors[0].field", equalTo("content")).body("errors[0].rule", equalTo("wellFormed"))
                .body("detail", containsString("line 2"));
        given().auth().oauth2(SOURCE).contentType("application/json").body("").put(uri).then().statusCode(422)
                .body("detail", containsString("empty"));
        // still awaiting upload after every refusal; then a good one, once
        given().auth().oauth2(SOURCE).contentType("application/json").body("[1,2]").put(uri).then().statusCode(200)
                .body("formats", contains("json"));
        given().auth().oauth2(SOURCE).contentType("application/json").body("[1,2]").put(uri).then().statusCode(409);

        String csv = create(SOURCE, request("csv", null, null)).then().statusCode(201).extract().path("id");
        given().auth().oauth2(SOURCE).contentType("text/csv").body("ma,ten\n1,\"Nguyễn, A\"\n2\n")
                .put("/api/v1/exchanges/" + csv + "/content").then().statusCode(422)
                .body("detail", containsString("line 3 has 1 fields where the first has 2"));
        given().auth().oauth2(SOURCE).contentType("text/csv; charset=utf-8").body("ma,ten\n1,\"Nguyễn, \"\"A\"\"\"\n")
                .put("/api/v1/exchanges/" + csv + "/content").then().statusCode(200)
                .body("formats", contains("csv", "json", "xml"));

        String xml = create(SOURCE, request("xml", null, null)).then().statusCode(201).extract().path("id");
        given().auth().oauth2(SOURCE).contentType("application/xml")
                .body("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>")
                .put("/api/v1/exchanges/" + xml + "/content").then().statusCode(422)
                .body("errors[0].rule", equalTo("wellFormed"));
    }

    @Test
    void theRecipientRejectsTheSourceCancelsAndNobodyHearsOfWhatWasNeverSent() throws Exception {
        waitUntilListening();
        try (SseClient recipientStream = new SseClient(events, RECIPIENT, null);
                SseClient sourceStream = new SseClient(events, SOURCE, null)) {
            assertEquals(200, recipientStream.status());
            assertEquals(200, sourceStream.status());
            String rejected = uploaded("{\"a\":1}");
            assertNotNull(recipientStream.next("exchange.ready", Duration.ofSeconds(5)));
            given().auth().oauth2(SOURCE).contentType("application/json").body("{\"reason\":\"x\"}")
                    .post("/api/v1/exchanges/" + rejected + "/reject").then().statusCode(403);
            given().auth().oauth2(RECIPIENT).contentType("application/json").body("{}")
                    .post("/api/v1/exchanges/" + rejected + "/reject").then().statusCode(400)
                    .body("errors[0].field", equalTo("reason"));
            given().auth().oauth2(RECIPIENT).contentType("application/json").body("{\"reason\":\"Sai mẫu biểu\"}")
                    .post("/api/v1/exchanges/" + rejected + "/reject").then().statusCode(200)
                    .body("state", equalTo("rejected")).body("reason", equalTo("Sai mẫu biểu"));
            SseClient.Event told = sourceStream.next("exchange.rejected", Duration.ofSeconds(5));
            assertNotNull(told);
            assertEquals("Sai mẫu biểu", new JsonObject(told.data()).getString("reason"));
            given().auth().oauth2(RECIPIENT).post("/api/v1/exchanges/" + rejected + "/accept").then().statusCode(409)
                    .body("detail", containsString("rejected"));
            AuditEvent failed = records(rejected, 3).stream().filter(e -> e.path().endsWith("/reject")).findFirst().orElseThrow();
            assertEquals("exchange-rejected", failed.errorType());

            // cancelled before upload: the recipient never heard of it and is not told
            String quiet = create(SOURCE, request("json", null, null)).then().statusCode(201).extract().path("id");
            given().auth().oauth2(SOURCE).contentType("application/json").body("{\"reason\":\"Nhầm\"}")
                    .post("/api/v1/exchanges/" + quiet + "/cancel").then().statusCode(200).body("state", equalTo("cancelled"));
            // cancelled after upload: it is told
            String loud = uploaded("{\"b\":2}");
            assertNotNull(recipientStream.next("exchange.ready", Duration.ofSeconds(5)));
            given().auth().oauth2(RECIPIENT).contentType("application/json").body("{\"reason\":\"x\"}")
                    .post("/api/v1/exchanges/" + loud + "/cancel").then().statusCode(403);
            given().auth().oauth2(SOURCE).contentType("application/json").body("{\"reason\":\"Gửi lại bản mới\"}")
                    .post("/api/v1/exchanges/" + loud + "/cancel").then().statusCode(200);
            SseClient.Event cancelled = recipientStream.next("exchange.cancelled", Duration.ofSeconds(5));
            assertNotNull(cancelled);
            assertEquals(loud, new JsonObject(cancelled.data()).getString("id"));
            assertTrue(recipientStream.drain(Duration.ofMillis(300)).stream()
                    .noneMatch(e -> e.data().contains(quiet)), "nothing about the envelope never sent");
            given().auth().oauth2(SOURCE).contentType("application/json").body("{\"reason\":\"again\"}")
                    .post("/api/v1/exchanges/" + loud + "/cancel").then().statusCode(409);
        }
    }

    @Test
    void anUndeliveredEnvelopeExpiresItsContentIsDeletedAndBothAreTold() throws Exception {
        waitUntilListening();
        try (SseClient recipientStream = new SseClient(events, RECIPIENT, null)) {
            assertEquals(200, recipientStream.status());
            String id = create(SOURCE, request("json", "PT2S", null)).then().statusCode(201).extract().path("id");
            given().auth().oauth2(SOURCE).contentType("application/json").body("{\"c\":3}")
                    .put("/api/v1/exchanges/" + id + "/content").then().statusCode(200);
            SseClient.Event expired = recipientStream.next("exchange.expired", Duration.ofSeconds(10));
            assertNotNull(expired, "the sweep closes it and tells the recipient");
            assertEquals(id, new JsonObject(expired.data()).getString("id"));
            given().auth().oauth2(SOURCE).get("/api/v1/exchanges/" + id).then().statusCode(200)
                    .body("state", equalTo("expired")).body("reason", containsString("not delivered before"));
            given().auth().oauth2(RECIPIENT).post("/api/v1/exchanges/" + id + "/accept").then().statusCode(409);
            AuditEvent record = records(id, 3).stream().filter(e -> "exchange-expired".equals(e.errorType())).findFirst()
                    .orElseThrow();
            assertEquals(410, record.status());
            assertEquals(AuditEvent.MODE_ASYNC, record.mode());
        }
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyOpensNothingNew() throws Exception {
        String key = "\"" + UUID.randomUUID() + "\"";
        JsonObject body = request("json", "P2D", 4096L);
        Response first = given().auth().oauth2(SOURCE).contentType("application/json").header("Idempotency-Key", key)
                .body(body.encode()).post("/api/v1/exchanges");
        first.then().statusCode(201).header("Idempotent-Replayed", nullValue());
        String id = first.path("id");
        // The same request again (the answer was lost, say; the JSON spelled differently): the same envelope.
        JsonObject same = new JsonObject(body.encode()).put("importance", body.getString("importance"));
        given().auth().oauth2(SOURCE).contentType("application/json").header("Idempotency-Key", key)
                .body(same.encodePrettily()).post("/api/v1/exchanges").then().statusCode(201)
                .header("Idempotent-Replayed", "true").header("Location", containsString(id)).body("id", equalTo(id));
        // The same key for another request: refused, naming the header.
        given().auth().oauth2(SOURCE).contentType("application/json").header("Idempotency-Key", key)
                .body(request("json", "P3D", 4096L).encode()).post("/api/v1/exchanges").then().statusCode(422)
                .body("errors[0].field", equalTo("Idempotency-Key")).body("errors[0].rule", equalTo("sameRequest"));
        // Keys are the source's own: another system sending the same key and request is judged afresh (here: the
        // provider holds no subscription to send with), never answered with the first system's envelope.
        given().auth().oauth2(RECIPIENT).contentType("application/json").header("Idempotency-Key", key)
                .body(body.encode()).post("/api/v1/exchanges").then().statusCode(403)
                .body("type", containsString("not-subscribed"));
        // Racing retries open one envelope between them.
        String raced = UUID.randomUUID().toString();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<String>> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                ids.add(pool.submit(() -> given().auth().oauth2(SOURCE).contentType("application/json")
                        .header("Idempotency-Key", raced).body(body.encode()).post("/api/v1/exchanges")
                        .then().statusCode(201).extract().<String>path("id")));
            }
            java.util.Set<String> distinct = new java.util.HashSet<>();
            for (java.util.concurrent.Future<String> f : ids) {
                distinct.add(f.get(20, java.util.concurrent.TimeUnit.SECONDS));
            }
            assertEquals(1, distinct.size(), "one envelope for one key: " + distinct);
        } finally {
            pool.shutdownNow();
        }
        given().auth().oauth2(SOURCE).contentType("application/json").header("Idempotency-Key", "has space")
                .body(body.encode()).post("/api/v1/exchanges").then().statusCode(400)
                .body("errors[0].field", equalTo("Idempotency-Key")).body("errors[0].rule", equalTo("pattern"));
        given().auth().oauth2(SOURCE).contentType("application/json").header("Idempotency-Key", "k".repeat(256))
                .body(body.encode()).post("/api/v1/exchanges").then().statusCode(400)
                .body("errors[0].rule", equalTo("size"));
    }

    @Test
    void anOpenStreamEndsSoonAfterItsTokenIsRevokedAndCannotBeReopened() throws Exception {
        waitUntilListening();
        String jti = "jti-" + UUID.randomUUID();
        String token = TestJwt.claims(RoutingTestResource.PROVIDER, Set.of("system"))
                .claim("agency", RoutingTestResource.PROVIDER_AGENCY).claim("env", "production")
                .claim("client_id", "ck-" + RoutingTestResource.PROVIDER).claim("jti", jti).sign();
        try (SseClient stream = new SseClient(events, token, null)) {
            assertEquals(200, stream.status());
            assertFalse(stream.endsWithin(Duration.ofMillis(1500)), "a valid token's stream stays open");
            RoutingTestResource.platform().revokeToken(jti);
            // the feed is polled (test profile: every few hundred ms), then each stream checks every second
            assertTrue(stream.endsWithin(Duration.ofSeconds(5)), "the stream ends once the token is revoked");
        }
        given().auth().oauth2(token).accept("text/event-stream").get("/api/v1/exchanges/events").then().statusCode(401);
        // Other tokens of the same system are not affected.
        try (SseClient other = new SseClient(events, RECIPIENT, null)) {
            assertEquals(200, other.status());
            assertFalse(other.endsWithin(Duration.ofMillis(1500)));
        }
    }

    @Test
    void theInboxIsAWorkQueuePlannedByImportance() {
        String low = uploaded("{\"n\":1}", "low");
        String urgent = uploaded("{\"n\":2}", "urgent");
        String normal = uploaded("{\"n\":3}", "normal");
        List<String> inbox = given().auth().oauth2(RECIPIENT).queryParam("state", "ready").queryParam("size", 200)
                .get("/api/v1/exchanges").then().statusCode(200).extract().jsonPath().getList("items.id", String.class);
        assertEquals(urgent, inbox.get(0), "urgent comes first");
        assertTrue(inbox.indexOf(normal) < inbox.indexOf(low), "normal before low: " + inbox);
        List<String> outbox = given().auth().oauth2(SOURCE).queryParam("box", "outbox").queryParam("size", 3)
                .get("/api/v1/exchanges").then().statusCode(200).extract().jsonPath().getList("items.id", String.class);
        assertEquals(List.of(normal, urgent, low), outbox, "the sender's history is newest first");
    }

    private String uploaded(String json) {
        return uploaded(json, "high");
    }

    private String uploaded(String json, String importance) {
        String id = create(SOURCE, request("json", null, null).put("importance", importance)).then().statusCode(201)
                .extract().path("id");
        given().auth().oauth2(SOURCE).contentType("application/json").body(json).put("/api/v1/exchanges/" + id + "/content")
                .then().statusCode(200);
        return id;
    }

    /** Sending puts data into the provider's system: a view-only subscription (REQUIREMENTS A3) may not. */
    @Test
    void aViewOnlySubscriptionCannotSend() throws Exception {
        String requestId = create(TestJwt.system(RoutingTestResource.VIEWER, RoutingTestResource.CONSUMER_AGENCY, "production"),
                request("json", null, null)).then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("urn:lgsp:problem:access-level"))
                .body("detail", containsString("grants view; sending an exchange to its provider requires use"))
                .extract().header("X-Request-Id");
        // refused before any envelope exists, and still in the audit log as a violation (REQUIREMENTS M2)
        AuditEvent refusal = refusal(requestId);
        assertEquals(RoutingTestResource.VIEWER, refusal.consumerSystem());
        assertEquals(RoutingTestResource.PROVIDER, refusal.providerSystem());
        assertEquals("ho-tich", refusal.serviceCode());
        assertEquals(403, refusal.status());
        assertEquals("access-level", refusal.errorType());
        assertEquals(AuditEvent.MODE_ASYNC, refusal.mode());
        create(TestJwt.system(RoutingTestResource.USER, RoutingTestResource.CONSUMER_AGENCY, "production"),
                request("json", null, null)).then().statusCode(201).body("sourceSystem", equalTo(RoutingTestResource.USER));
    }

    /**
     * The right to send is checked again when the content arrives: a subscription lowered to view or suspended after
     * its envelope opened sends nothing into the provider's system, and sends again once restored.
     */
    @Test
    void theContentOfAnOpenEnvelopeIsRefusedOnceTheSubscriptionNoLongerAllowsSending() throws Exception {
        String system = "HTTT-GUISAU";
        String token = TestJwt.system(system, RoutingTestResource.CONSUMER_AGENCY, "production");
        JsonObject sub = RoutingTestResource.sub(system, "ho-tich", "v1", "production", null, null, null)
                .put("accessLevel", "use");
        RoutingTestResource.platform().change("subscription", sub);
        awaitCreate(token, "201");
        String id = create(token, request("json", null, null)).then().statusCode(201).extract().path("id");
        String content = "/api/v1/exchanges/" + id + "/content";

        RoutingTestResource.platform().change("subscription", sub.copy().put("accessLevel", "view"));
        awaitCreate(token, "403 urn:lgsp:problem:access-level");
        given().auth().oauth2(token).contentType("application/json").body(JSON_BODY).put(content).then().statusCode(403)
                .contentType("application/problem+json").body("type", equalTo("urn:lgsp:problem:access-level"));

        RoutingTestResource.platform().change("subscription", sub.copy().put("status", "suspended"));
        awaitCreate(token, "403 urn:lgsp:problem:not-subscribed");
        given().auth().oauth2(token).contentType("application/json").body(JSON_BODY).put(content).then().statusCode(403)
                .body("type", equalTo("urn:lgsp:problem:not-subscribed"));
        assertTrue(records(id, 3).stream().anyMatch(r -> "PUT".equals(r.method()) && r.status() == 403
                && "not-subscribed".equals(r.errorType())), "the refused upload is in the audit log");
        given().auth().oauth2(RECIPIENT).get("/api/v1/exchanges/" + id).then().statusCode(200)
                .body("state", equalTo("awaiting-upload"));

        RoutingTestResource.platform().change("subscription", sub);
        awaitCreate(token, "201");
        given().auth().oauth2(token).contentType("application/json").body(JSON_BODY).put(content).then().statusCode(200)
                .body("state", equalTo("ready"));
    }

    /** The audit record of a request refused before it opened an envelope, waiting for it. */
    private AuditEvent refusal(String requestId) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < deadline) {
            var found = publisher.snapshot().stream().filter(e -> requestId.equals(e.requestId())).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no audit record of request " + requestId);
    }

    /**
     * Opens envelopes until one is answered {@code 201}, or refused with the problem type ending in {@code refusal}
     * (the feed is polled every 200 ms in tests).
     */
    @Test
    void aWorkbookIsDeliveredInTheFormatTheRecipientReads() throws Exception {
        // a real workbook, written by a library that is not ours, as an agency's spreadsheet tool would
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        org.dhatim.fastexcel.Workbook wb = new org.dhatim.fastexcel.Workbook(out, "So Tu phap", "1.0");
        org.dhatim.fastexcel.Worksheet ws = wb.newWorksheet("Khai sinh");
        ws.value(0, 0, "soDinhDanh");
        ws.value(0, 1, "hoTen");
        ws.value(0, 2, "ngaySinh");
        ws.value(1, 0, "001099012345");
        ws.value(1, 1, "Nguyễn Văn A");
        ws.value(1, 2, java.time.LocalDate.of(2026, 11, 2));
        ws.style(1, 2).format("dd/mm/yyyy").set();
        wb.finish();
        byte[] xlsx = out.toByteArray();

        String id = create(SOURCE, request("xlsx", null, null)).then().statusCode(201).extract().path("id");
        given().auth().oauth2(SOURCE).contentType(ContentAnalyserMedia.XLSX).body(xlsx)
                .put("/api/v1/exchanges/" + id + "/content").then().statusCode(200)
                .body("formats", contains("xlsx", "csv", "json", "xml"));
        given().auth().oauth2(RECIPIENT).post("/api/v1/exchanges/" + id + "/accept").then().statusCode(200);
        Response csv = given().auth().oauth2(RECIPIENT).accept("text/csv").get("/api/v1/exchanges/" + id + "/content");
        csv.then().statusCode(200).contentType(containsString("text/csv"));
        assertEquals("soDinhDanh,hoTen,ngaySinh\r\n001099012345,Nguyễn Văn A,2026-11-02\r\n",
                new String(csv.asByteArray(), StandardCharsets.UTF_8));
        given().auth().oauth2(RECIPIENT).accept("application/json").get("/api/v1/exchanges/" + id + "/content").then()
                .statusCode(200).body("[0].soDinhDanh", equalTo("001099012345")).body("[0].ngaySinh", equalTo("2026-11-02"));
        byte[] original = given().auth().oauth2(RECIPIENT).get("/api/v1/exchanges/" + id + "/content").then()
                .statusCode(200).extract().asByteArray();
        assertEquals(sha256(xlsx), sha256(original), "without Accept, the workbook as uploaded");
        given().auth().oauth2(RECIPIENT).contentType("application/json")
                .body("{\"sha256\":\"" + sha256(csv.asByteArray()) + "\"}").post("/api/v1/exchanges/" + id + "/confirm")
                .then().statusCode(200).body("state", equalTo("delivered"));
    }

    /** The workbook media type, as integrators send it. */
    private static final class ContentAnalyserMedia {
        static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    }

    private static void awaitCreate(String token, String refusal) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 3000;
        String got = outcome(create(token, request("json", null, null)));
        while (!got.equals(refusal) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            got = outcome(create(token, request("json", null, null)));
        }
        assertEquals(refusal, got, "opening an envelope");
    }

    private static String outcome(Response r) {
        return r.statusCode() == 201 ? "201" : r.statusCode() + " " + r.jsonPath().getString("type");
    }

    private void waitUntilListening() throws InterruptedException {
        ExchangeProbes.waitUntilListening(notices);
    }

    private List<AuditEvent> records(String id, int atLeast) throws InterruptedException {
        return ExchangeProbes.records(publisher, id, atLeast);
    }

    private static Response create(String token, JsonObject body) {
        return given().auth().oauth2(token).contentType("application/json").body(body.encode()).post("/api/v1/exchanges");
    }

    private static JsonObject request(String dataType, String expiresIn, Long maxBytes) {
        JsonObject policy = new JsonObject();
        if (expiresIn != null) {
            policy.put("expiresIn", expiresIn);
        }
        if (maxBytes != null) {
            policy.put("maxBytes", maxBytes);
        }
        return new JsonObject().put("serviceCode", "ho-tich").put("version", "v1").put("title", "Danh sách khai sinh")
                .put("importance", "high").put("dataType", dataType).put("policy", policy);
    }

    private static String sha256(byte[] body) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    }

    @Test
    void aReconnectionMoreThanAPageBehindGetsThePagesInOrderWithoutAGap() throws Exception {
        waitUntilListening();
        // 1100 notices the system missed (as if it was away), written straight into the notice table.
        String system = "HTTT-VANG-" + UUID.randomUUID().toString().substring(0, 6);
        String token = TestJwt.system(system, "000.00.00.H11", "production");
        long first = pool.preparedQuery("""
                INSERT INTO exchange_notice (system_code, environment, envelope_id, kind, body, created_at)
                SELECT $1, 'production', gen_random_uuid(), 'exchange.ready', json_build_object('n', n)::jsonb, now()
                FROM generate_series(1, 1100) AS n RETURNING id""").execute(io.vertx.mutiny.sqlclient.Tuple.of(system))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong("id");
        List<Long> received = new java.util.ArrayList<>();
        String lastId = String.valueOf(first - 1);
        try (SseClient page = new SseClient(events, token, lastId)) {
            assertTrue(page.endsWithin(Duration.ofSeconds(10)), "after a full page the stream ends, to be resumed");
            page.drain(Duration.ZERO).forEach(e -> received.add(Long.parseLong(e.id())));
        }
        assertEquals(1000, received.size(), "one page");
        try (SseClient rest = new SseClient(events, token, String.valueOf(received.get(received.size() - 1)))) {
            List<SseClient.Event> more = rest.drain(Duration.ofSeconds(2));
            more.stream().filter(e -> e.id() != null).forEach(e -> received.add(Long.parseLong(e.id())));
            assertFalse(rest.endsWithin(Duration.ofMillis(100)), "the last, short page is followed by the live stream");
        }
        assertEquals(1100, received.size());
        for (int i = 0; i < received.size(); i++) {
            assertEquals(first + i, received.get(i), "every missed notice, in order, none twice");
        }
    }

}
