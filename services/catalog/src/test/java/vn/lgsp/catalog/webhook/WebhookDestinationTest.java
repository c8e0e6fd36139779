package vn.lgsp.catalog.webhook;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import vn.lgsp.catalog.Fixtures;
import vn.lgsp.catalog.RegistryStub;
import vn.lgsp.catalog.RegistryStub.Delivery;
import vn.lgsp.catalog.webhook.service.WebhookDestinationGuard;
import vn.lgsp.testing.PlatformTestResource;
import vn.lgsp.testing.TestJwt;

/**
 * Webhooks never go to internal addresses (SSRF): refused when applying, and refused again at each delivery, since
 * what a name resolves to can change. The test profile allows loopback only (127.0.0.0/8, ::1) for the receivers.
 */
@QuarkusTest
@QuarkusTestResource(PlatformTestResource.class)
@QuarkusTestResource(RegistryStub.class)
class WebhookDestinationTest {

    private static final String CONSUMER = WebhookFixtures.CONSUMER;

    @Inject
    Pool pool;

    @Inject
    WebhookDestinationGuard guard;

    private static List<String> subscriptionsOf(String code) {
        return given().auth().oauth2(TestJwt.operator()).queryParam("serviceCode", code).queryParam("size", 200)
                .get("/api/v1/subscriptions").then().statusCode(200).extract().jsonPath().getList("items.id");
    }

    @ParameterizedTest(name = "{0} ({1})")
    @CsvSource({
            "http://169.254.169.254/latest/meta-data/, link-local",
            "http://10.1.2.3/hook, private",
            "http://192.168.1.10/hook, private",
            "http://172.20.0.4:8080/hook, private",
            "http://100.64.0.1/hook, private",
            "https://[fd00::1]/x, private",
            "http://[fe80::1]/x, link-local",
            "http://0.0.0.0/x, unspecified",
            "http://[::]/x, unspecified",
            "http://224.0.0.1/x, multicast",
            "http://[::ffff:10.1.2.3]/x, private",
            "http://[64:ff9b::a9fe:a9fe]/latest, link-local",
            "http://167772161/hook, private"
    })
    void anApplicationWithAWebhookToAnInternalAddressIsRefused(String url, String kind) {
        String code = Fixtures.service("shared", false);
        Fixtures.published(code, "v1");
        given().auth().oauth2(CONSUMER).contentType(ContentType.JSON)
                .body(Fixtures.subscriptionJson(code, "v1", RegistryStub.CONSUMER_SYSTEM, "production", url))
                .post("/api/v1/subscriptions").then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:lgsp:problem:validation-failed"))
                .body("errors.size()", equalTo(1))
                .body("errors[0].field", equalTo("webhookUrl"))
                .body("errors[0].rule", equalTo("publicAddress"))
                .body("errors[0].message", containsString("(" + kind + " address), not allowed for webhooks"))
                .body("detail", containsString("webhookUrl: points to "));
        assertEquals(List.of(), subscriptionsOf(code), "nothing stored");
    }

    @Test
    void everyFieldErrorIsAnsweredAtOnce() {
        String code = Fixtures.service("shared", false);
        Fixtures.published(code, "v1");
        String body = Fixtures.subscriptionJson(code, "v1", RegistryStub.CONSUMER_SYSTEM, "production", "http://10.1.2.3/hook")
                .replaceFirst("\"periodEnd\":\"[0-9-]+\"", "\"periodEnd\":\"2000-01-01\"");
        given().auth().oauth2(CONSUMER).contentType(ContentType.JSON).body(body).post("/api/v1/subscriptions").then()
                .statusCode(400).body("errors.field", hasItems("periodEnd", "webhookUrl"))
                .body("errors.rule", hasItems("notBeforeStart", "publicAddress"));
    }

    @Test
    void publicOrAllowedDestinationsAndNamesNotResolvingYetAreAccepted() {
        String code = Fixtures.service("shared", false);
        Fixtures.published(code, "v1");
        // Loopback is in the test profile's allow-list (what lgsp.catalog.webhook-allowed-networks is for), by address
        // and by name.
        given().auth().oauth2(CONSUMER).contentType(ContentType.JSON)
                .body(Fixtures.subscriptionJson(code, "v1", RegistryStub.CONSUMER_SYSTEM, "production", "http://127.0.0.1:9/hook"))
                .post("/api/v1/subscriptions").then().statusCode(201).body("webhookUrl", equalTo("http://127.0.0.1:9/hook"));
        given().auth().oauth2(CONSUMER).contentType(ContentType.JSON)
                .body(Fixtures.subscriptionJson(code, "v1", RegistryStub.CONSUMER_SYSTEM, "test", "http://localhost:9/hook"))
                .post("/api/v1/subscriptions").then().statusCode(201);
        // .invalid never resolves (RFC 6761): accepted, since every delivery checks the name again.
        String other = Fixtures.service("shared", false);
        Fixtures.published(other, "v1");
        given().auth().oauth2(CONSUMER).contentType(ContentType.JSON)
                .body(Fixtures.subscriptionJson(other, "v1", RegistryStub.CONSUMER_SYSTEM, "production",
                        "https://receiver.invalid/hook"))
                .post("/api/v1/subscriptions").then().statusCode(201).body("webhookUrl", equalTo("https://receiver.invalid/hook"))
                .body("webhookSecret", not(equalTo(null)));
    }

    /**
     * The delivery goes to the address the guard checked, not to whatever the name resolves to when connecting: here
     * the name resolves only through the guard (.invalid never resolves in DNS, RFC 6761), so a client resolving it
     * again could not connect at all. Host header, TLS name and signature still name the URL's host.
     */
    @Test
    void aDeliveryConnectsToTheCheckedAddressUnderTheURLsName() throws Exception {
        URI receiver = URI.create(RegistryStub.hookUrl("x"));
        String name = "receiver-" + UUID.randomUUID().toString().substring(0, 6) + ".lgsp-test.invalid";
        guard.resolveWith(host -> host.equals(name) ? new InetAddress[] { InetAddress.getByName("127.0.0.1") }
                : InetAddress.getAllByName(host));
        try {
            String code = Fixtures.service("shared", false);
            String hookPath = "pinned-" + code;
            String url = "http://" + name + ":" + receiver.getPort() + "/hooks/" + hookPath;
            JsonPath sub = WebhookFixtures.subscribed(code, url);
            WebhookFixtures.announceRetirement(code);
            Delivery d = WebhookFixtures.received("/hooks/" + hookPath);
            assertEquals(name + ":" + receiver.getPort(), d.host(), "Host names the URL's host, not the address");
            assertEquals(sub.getString("webhookKeyId"),
                    WebhookFixtures.verify(d, sub.getString("webhookKeyId"), sub.getString("webhookSecret")).keyId(),
                    "signed over the URL's authority");
            Map<String, Object> delivered = WebhookFixtures.await(() -> WebhookFixtures.deliveries(CONSUMER, sub.getString("id"))
                    .stream().filter(x -> "delivered".equals(x.get("status"))).findFirst().orElse(null),
                    Duration.ofSeconds(10), "the delivery recorded");
            assertEquals(204, delivered.get("lastStatus"), "the receiver's answer");
        } finally {
            guard.resolveWith(null);
        }
    }

    /**
     * https deliveries check the receiver's certificate against the JVM's CAs and the URL's host, even though they
     * connect to an address: a receiver with a certificate nobody vouches for gets nothing, and the attempt says why.
     */
    @Test
    void anHttpsReceiverWhoseCertificateIsNotTrustedGetsNothing() throws Exception {
        java.nio.file.Path dir = java.nio.file.Path.of("target", "webhook-tls").toAbsolutePath();
        java.nio.file.Files.createDirectories(dir);
        String name = "tls-" + UUID.randomUUID().toString().substring(0, 6) + ".lgsp-test.invalid";
        var files = (io.smallrye.certs.PemCertificateFiles) new io.smallrye.certs.CertificateGenerator(dir, true)
                .generate(new io.smallrye.certs.CertificateRequest().withName("receiver").withFormat(io.smallrye.certs.Format.PEM)
                        .withCN(name).withSubjectAlternativeName("DNS:" + name).withDuration(Duration.ofDays(2))).get(0);
        java.util.List<String> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        // its own Vert.x: the application's is instrumented (Micrometer), which a test server should stay out of
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        io.vertx.core.http.HttpServer server = vertx.createHttpServer(new io.vertx.core.http.HttpServerOptions().setSsl(true)
                .setKeyCertOptions(new io.vertx.core.net.PemKeyCertOptions().setCertPath(files.certFile().toString())
                        .setKeyPath(files.keyFile().toString())))
                .requestHandler(req -> {
                    received.add(req.path());
                    req.response().setStatusCode(204).end();
                });
        int port = server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS)
                .actualPort();
        guard.resolveWith(host -> host.equals(name) ? new InetAddress[] { InetAddress.getByName("127.0.0.1") }
                : InetAddress.getAllByName(host));
        try {
            String code = Fixtures.service("shared", false);
            String id = WebhookFixtures.subscribed(code, "https://" + name + ":" + port + "/hooks/tls").getString("id");
            WebhookFixtures.announceRetirement(code);
            Map<String, Object> tried = WebhookFixtures.await(() -> WebhookFixtures.deliveries(CONSUMER, id).stream()
                    .filter(x -> x.get("lastError") != null).findFirst().orElse(null), Duration.ofSeconds(15), "an attempt");
            assertNull(tried.get("lastStatus"), "no HTTP answer: the TLS handshake failed");
            String error = String.valueOf(tried.get("lastError"));
            assertTrue(error.startsWith("SSLHandshakeException: ") && error.contains("certification path"), error);
            assertEquals(List.of(), received, "the receiver got no request");
        } finally {
            guard.resolveWith(null);
            vertx.close();
        }
    }

    /** A name with one public and one internal address is refused: the delivery could be steered to either. */
    @Test
    void aNameWithAnyInternalAddressIsRefusedAtDelivery() throws Exception {
        URI receiver = URI.create(RegistryStub.hookUrl("x"));
        String name = "mixed-" + UUID.randomUUID().toString().substring(0, 6) + ".lgsp-test.invalid";
        java.util.concurrent.atomic.AtomicBoolean rebound = new java.util.concurrent.atomic.AtomicBoolean();
        guard.resolveWith(host -> !host.equals(name) ? InetAddress.getAllByName(host) : rebound.get()
                ? new InetAddress[] { InetAddress.getByName("127.0.0.1"), InetAddress.getByName("10.1.2.3") }
                : new InetAddress[] { InetAddress.getByName("127.0.0.1") });
        try {
            String code = Fixtures.service("shared", false);
            String hookPath = "mixed-" + code;
            String id = WebhookFixtures.subscribed(code, "http://" + name + ":" + receiver.getPort() + "/hooks/" + hookPath)
                    .getString("id");
            rebound.set(true); // the subscriber's DNS changes after it applied
            WebhookFixtures.announceRetirement(code);
            Map<String, Object> failed = WebhookFixtures.await(() -> WebhookFixtures.deliveries(CONSUMER, id).stream()
                    .filter(x -> !"pending".equals(x.get("status"))).findFirst().orElse(null), Duration.ofSeconds(15),
                    "the delivery settled");
            assertEquals("failed", failed.get("status"));
            assertEquals("destination " + name + " resolves to 10.1.2.3, which is not allowed for webhooks (private address)",
                    failed.get("lastError"));
            assertTrue(RegistryStub.DELIVERIES.stream().noneMatch(d -> d.path().equals("/hooks/" + hookPath)));
        } finally {
            guard.resolveWith(null);
        }
    }

    @Test
    void aDeliveryToAnInternalAddressIsRefusedRecordedAndNeverSent() throws Exception {
        String code = Fixtures.service("shared", false);
        String hookPath = "refused-" + code;
        String id = WebhookFixtures.subscribed(code, RegistryStub.hookUrl(hookPath)).getString("id");

        // What the URL's name might resolve to after applying (DNS rebinding), written where applying cannot: the row.
        // 0.0.0.0 is refused even in tests, yet Linux connects it to the local host, where the receiver listens.
        URI receiver = URI.create(RegistryStub.hookUrl(hookPath));
        String refused = "http://0.0.0.0:" + receiver.getPort() + receiver.getPath();
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress("0.0.0.0", receiver.getPort()), 2000);
        } // unguarded, the delivery would have reached the receiver
        pool.preparedQuery("UPDATE subscription SET webhook_url = $1 WHERE id = $2").execute(Tuple.of(refused, UUID.fromString(id)))
                .await().atMost(Duration.ofSeconds(10));

        WebhookFixtures.announceRetirement(code);

        Map<String, Object> failed = WebhookFixtures.await(() -> WebhookFixtures.deliveries(CONSUMER, id).stream()
                .filter(x -> !"pending".equals(x.get("status"))).findFirst().orElse(null), Duration.ofSeconds(15),
                "the delivery settled");
        assertEquals("failed", failed.get("status"));
        assertEquals(refused, failed.get("url"));
        assertEquals(3, failed.get("attempts"), "refusals follow the usual retry rules (the test profile's 3 attempts)");
        assertEquals("destination 0.0.0.0 is not allowed for webhooks (unspecified address)", failed.get("lastError"));
        assertNull(failed.get("lastStatus"), "no HTTP exchange took place");
        assertTrue(RegistryStub.DELIVERIES.stream().noneMatch(d -> d.path().equals(receiver.getPath())),
                "the receiver never got it");
    }
}
