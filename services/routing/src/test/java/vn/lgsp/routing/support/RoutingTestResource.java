package vn.lgsp.routing.support;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;
import vn.lgsp.common.time.ProvinceCalendar;
import vn.lgsp.testing.PlatformTestResource;
import vn.lgsp.testing.StubUpstream;
import vn.lgsp.testing.TestJwt;

/**
 * Everything routing talks to, for real: PostgreSQL (PlatformTestResource), a stub catalog + auth
 * ({@link StubPlatform}) and a provider ({@link StubUpstream}). Every test class uses exactly this resource,
 * so Quarkus starts once per module.
 */
public class RoutingTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String CONSUMER = "HTTT-MOTCUA";
    public static final String CONSUMER_AGENCY = "000.00.00.H01";
    public static final String PROVIDER = "HTTT-HOTICH";
    public static final String PROVIDER_AGENCY = "000.00.00.H62";
    /** Own subscriptions, so their budgets and revocations never disturb other tests. */
    public static final String LIMITED = "HTTT-LIMITED";
    public static final String REVOKED = "HTTT-REVOKED";
    /** Subscribed to ho-tich v1 in production for a period that ended yesterday, starts tomorrow, ends today. */
    public static final String PERIOD_OVER = "HTTT-HETHAN";
    public static final String PERIOD_AHEAD = "HTTT-CHUABATDAU";
    public static final String PERIOD_LAST_DAY = "HTTT-NGAYCUOI";
    /** Sunset of dan-cu v1 in the fixture. */
    public static final String SUNSET = "2027-06-30T00:00:00Z";
    public static final String DEPRECATED_AT = "2026-01-01T00:00:00Z";
    /** Access keys of the hmac-keys feed (RFC 9421 callers). */
    public static final String ACCESS_KEY = "ak-motcua";
    public static final String SECRET_KEY = "sk-motcua-0123456789abcdef";
    /** Same system, its own key, so revoking it disturbs no other test. */
    public static final String ACCESS_KEY_TO_REVOKE = "ak-motcua-old";
    public static final String EXPIRED_ACCESS_KEY = "ak-motcua-expired";
    /** A system with a key but no subscription. */
    public static final String UNSUBSCRIBED_ACCESS_KEY = "ak-la";
    /** Rotated: signs with ROTATED_SECRET_KEY; SECRET_KEY (the previous one) is still accepted during the overlap. */
    public static final String ROTATED_ACCESS_KEY = "ak-motcua-rotated";
    public static final String ROTATED_SECRET_KEY = "sk-motcua-rotated-fedcba9876543210";
    /** Rotated too, but the overlap has ended: only ROTATED_SECRET_KEY is accepted. */
    public static final String OVERLAP_ENDED_ACCESS_KEY = "ak-motcua-overlap-ended";
    public static final String UNSUBSCRIBED_SYSTEM = "HTTT-LA";
    /** The provider's own key (it receives exchanges), and one of the consumer's the exchange tests revoke. */
    public static final String PROVIDER_ACCESS_KEY = "ak-hotich";
    public static final String PROVIDER_SECRET_KEY = "sk-hotich-00112233445566778899";
    public static final String EXCHANGE_ACCESS_KEY_TO_REVOKE = "ak-motcua-exchange";
    /**
     * Subscribed to ho-tich v1 and quy-tac v1 in production at one access level each (REQUIREMENTS A3); CONSUMER's
     * subscriptions carry none (a catalog older than access levels): unrestricted.
     */
    public static final String VIEWER = "HTTT-XEM";
    public static final String USER = "HTTT-KHAITHAC";
    public static final String EDITOR = "HTTT-CAPNHAT";
    public static final String SHARER = "HTTT-CHIASE";
    /** A version with access rules: see {@link #RULES}. */
    public static final String RULED = "quy-tac";

    private static StubPlatform platform;
    private static StubUpstream upstream;
    /** The unreachable provider of the "dong" route: held closed for the application's run. */
    private static vn.lgsp.testing.ClosedPort closedPort;
    private final PlatformTestResource database = new PlatformTestResource();

    public static StubPlatform platform() {
        return platform;
    }

    public static StubUpstream upstream() {
        return upstream;
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(database.start());
        emptyAuditSpool();
        platform = new StubPlatform();
        upstream = StubUpstream.start();
        closedPort = vn.lgsp.testing.ClosedPort.reserve();
        platform.catalog(catalog(upstream.baseUrl(), closedPort.url(), platform.baseUrl()));
        config.put("lgsp.routing.upstream-auth.secrets-dir", upstreamSecrets().toString());
        config.putAll(upstreamTls());
        platform.addHmacKey(ACCESS_KEY, SECRET_KEY, CONSUMER, CONSUMER_AGENCY, "production", null);
        platform.addHmacKey(ACCESS_KEY_TO_REVOKE, SECRET_KEY, CONSUMER, CONSUMER_AGENCY, "production", "2099-01-01T00:00:00Z");
        platform.addHmacKey(EXPIRED_ACCESS_KEY, SECRET_KEY, CONSUMER, CONSUMER_AGENCY, "production", "2020-01-01T00:00:00Z");
        platform.addRotatedHmacKey(ROTATED_ACCESS_KEY, ROTATED_SECRET_KEY, SECRET_KEY, "2099-01-01T00:00:00Z",
                CONSUMER, CONSUMER_AGENCY);
        platform.addRotatedHmacKey(OVERLAP_ENDED_ACCESS_KEY, ROTATED_SECRET_KEY, SECRET_KEY, "2020-01-01T00:00:00Z",
                CONSUMER, CONSUMER_AGENCY);
        platform.addHmacKey(UNSUBSCRIBED_ACCESS_KEY, SECRET_KEY, UNSUBSCRIBED_SYSTEM, "000.00.00.H09", "production", null);
        platform.addHmacKey(PROVIDER_ACCESS_KEY, PROVIDER_SECRET_KEY, PROVIDER, PROVIDER_AGENCY, "production", null);
        platform.addHmacKey(EXCHANGE_ACCESS_KEY_TO_REVOKE, SECRET_KEY, CONSUMER, CONSUMER_AGENCY, "production", null);
        config.put("lgsp.platform.auth-url", platform.baseUrl());
        config.put("lgsp.platform.catalog-url", platform.baseUrl());
        config.put("lgsp.platform.client-secret", "routing-test-secret");
        config.put("lgsp.jwt.issuer", TestJwt.ISSUER);
        config.put("lgsp.routing.snapshot-poll", "200ms");
        config.put("lgsp.routing.identity.jwks-refresh-min-interval", "1s");
        // No routine refresh during a run: tests count auth's JWKS calls that an unknown key id causes.
        config.put("lgsp.routing.identity.jwks-refresh-interval", "1h");
        config.put("lgsp.routing.health-check.interval", "1s");
        config.put("lgsp.routing.health-check.timeout", "1s");
        return config;
    }

    @Override
    public void stop() {
        if (upstream != null) {
            upstream.close();
        }
        if (closedPort != null) {
            closedPort.close();
        }
        if (platform != null) {
            platform.close();
        }
        database.stop();
    }

    /** %test.lgsp.platform.audit.spool.dir (application.properties); resolved like Quarkus does, from the module. */
    public static final java.nio.file.Path AUDIT_SPOOL = java.nio.file.Path.of("target", "audit-spool-test").toAbsolutePath();

    /**
     * The tests run the gateway with its audit spool, as in production, with delivery off (PlatformTestResource):
     * records stay in the spool's files, where publisher.snapshot() reads them. A previous run's files would be
     * recovered and counted, so they are removed first.
     */
    private static void emptyAuditSpool() {
        if (!java.nio.file.Files.isDirectory(AUDIT_SPOOL)) {
            return;
        }
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(AUDIT_SPOOL)) {
            for (java.nio.file.Path f : files.toList()) {
                java.nio.file.Files.delete(f);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not empty " + AUDIT_SPOOL, e);
        }
    }

    /** Certificates made for this run (TlsUpstream, UpstreamTlsTest). */
    public static final java.nio.file.Path TLS = java.nio.file.Path.of("target", "upstream-tls").toAbsolutePath();
    /** The client certificate and key the gateway shows providers: files the rotation test may overwrite. */
    public static final java.nio.file.Path GATEWAY_CLIENT_CERT = TLS.resolve("gateway-client.crt");
    public static final java.nio.file.Path GATEWAY_CLIENT_KEY = TLS.resolve("gateway-client.key");

    /**
     * TLS towards providers as an operator would set it: a named Quarkus TLS configuration trusting the provider
     * CA's certificate ("provider", self-signed here) with a client certificate, re-read every second. A
     * "stranger" provider (not trusted) and a "rotated" client certificate are made too.
     */
    private static Map<String, String> upstreamTls() {
        try {
            java.nio.file.Files.createDirectories(TLS);
            var generator = new io.smallrye.certs.CertificateGenerator(TLS, true);
            io.smallrye.certs.PemCertificateFiles provider = null;
            for (String name : java.util.List.of("provider", "stranger", "rotated")) {
                var files = (io.smallrye.certs.PemCertificateFiles) generator.generate(new io.smallrye.certs.CertificateRequest()
                        .withName(name).withFormat(io.smallrye.certs.Format.PEM).withCN("localhost")
                        .withClientCertificate().withDuration(java.time.Duration.ofDays(2))).get(0);
                if (name.equals("provider")) {
                    provider = files;
                }
            }
            java.nio.file.Files.copy(provider.clientCertFile(), GATEWAY_CLIENT_CERT, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            java.nio.file.Files.copy(provider.clientKeyFile(), GATEWAY_CLIENT_KEY, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return Map.of(
                    "lgsp.routing.upstream.tls-configuration-name", "upstream",
                    "quarkus.tls.upstream.trust-store.pem.certs", provider.certFile().toString(),
                    "quarkus.tls.upstream.key-store.pem.0.cert", GATEWAY_CLIENT_CERT.toString(),
                    "quarkus.tls.upstream.key-store.pem.0.key", GATEWAY_CLIENT_KEY.toString(),
                    "quarkus.tls.upstream.reload-period", "1s");
        } catch (Exception e) {
            throw new IllegalStateException("could not make the test certificates", e);
        }
    }

    public static final String STATIC_SECRET = "khoa-api-0123456789abcdef";

    /** The gateway's secret store for provider credentials: one file per secret name, as a mounted Secret. */
    private static java.nio.file.Path upstreamSecrets() {
        try {
            java.nio.file.Path dir = java.nio.file.Path.of("target", "upstream-secrets").toAbsolutePath();
            java.nio.file.Files.createDirectories(dir.resolve("khoa"));
            java.nio.file.Files.writeString(dir.resolve("khoa/api-key"), STATIC_SECRET + "\n");
            java.nio.file.Files.writeString(dir.resolve("ndxp-client-secret"), StubPlatform.NDXP_CLIENT_SECRET);
            java.nio.file.Files.writeString(dir.resolve("ndxp-wrong-secret"), "not-the-secret");
            return dir;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonObject catalog(String stub, String closed, String platformUrl) {
        LocalDate today = ProvinceCalendar.dateOf(Instant.now());
        JsonArray routes = new JsonArray()
                .add(route("ho-tich", "v1", "published", stub).put("timeoutMs", 500).put("maxRequestBytes", 1024))
                .add(route("ho-tich", "v2", "published", stub))
                .add(route("dan-cu", "v1", "deprecated", stub).put("deprecatedAt", DEPRECATED_AT).put("sunsetAt", SUNSET))
                .add(route("dan-cu", "v2", "published", stub))
                .add(route("dat-dai", "v1", "retired", stub).put("retiredAt", "2026-02-01T00:00:00Z"))
                .add(route("thue", "v1", "draft", stub))
                .add(route("thu-nghiem", "v1", "testing", stub))
                .add(route("dong", "v1", "published", closed))
                .add(route("han-che", "v1", "published", stub))
                .add(route("khoa", "v1", "published", stub).put("upstreamAuth", new JsonObject()
                        .put("type", "static_header").put("headerName", "X-Api-Key").put("secretRef", "khoa/api-key")))
                .add(route("khoa-thieu", "v1", "published", stub).put("upstreamAuth", new JsonObject()
                        .put("type", "static_header").put("headerName", "X-Api-Key").put("secretRef", "no-such-secret")))
                .add(route("ndxp", "v1", "published", stub).put("upstreamAuth", ndxp(platformUrl, "ndxp-client-secret")))
                .add(route("xml-ws", "v1", "published", stub).put("requestFormat", "xml").put("responseFormat", "xml")
                        .put("convert", true))
                .add(route("json-ws", "v1", "published", stub).put("requestFormat", "json").put("responseFormat", "json")
                        .put("convert", true))
                .add(route("ndxp-sai", "v1", "published", stub).put("upstreamAuth", ndxp(platformUrl, "ndxp-wrong-secret")))
                .add(route(RULED, "v1", "published", stub).put("accessRules", RULES.copy()));
        JsonArray subs = new JsonArray()
                .add(sub(CONSUMER, "ho-tich", "v1", "production", null, null, null))
                .add(sub(CONSUMER, "dan-cu", "v1", "production", null, null, null))
                .add(sub(CONSUMER, "dat-dai", "v1", "production", null, null, null))
                .add(sub(CONSUMER, "thu-nghiem", "v1", "test", null, null, null))
                .add(sub(CONSUMER, "dong", "v1", "production", null, null, null))
                .add(sub(CONSUMER, "han-che", "v1", "production", null, null, null).put("status", "suspended"))
                .add(sub(LIMITED, "han-che", "v1", "production", 1, 2, 1000L))
                .add(sub(REVOKED, "ho-tich", "v1", "production", null, null, null))
                .add(sub(CONSUMER, "khoa", "v1", "production", null, null, null))
                .add(sub(CONSUMER, "khoa-thieu", "v1", "production", null, null, null))
                .add(sub(CONSUMER, "ndxp", "v1", "production", null, null, null))
                .add(sub(CONSUMER, "ndxp-sai", "v1", "production", null, null, null))
                .add(sub(CONSUMER, "xml-ws", "v1", "production", null, null, null))
                .add(sub(CONSUMER, "json-ws", "v1", "production", null, null, null))
                .addAll(new JsonArray(periodSubscriptions(today)))
                .add(sub(CONSUMER, RULED, "v1", "production", null, null, null));
        for (String[] level : new String[][] { { VIEWER, "view" }, { USER, "use" }, { EDITOR, "update" },
                { SHARER, "share" } }) {
            subs.add(sub(level[0], "ho-tich", "v1", "production", null, null, null).put("accessLevel", level[1]));
            subs.add(sub(level[0], RULED, "v1", "production", null, null, null).put("accessLevel", level[1]));
        }
        return new JsonObject().put("revision", 1).put("generatedAt", "2026-11-23T08:00:00Z")
                .put("routes", routes).put("subscriptions", subs);
    }

    /**
     * quy-tac v1's access rules, first match deciding: a lookup sent as POST needs only view, exports need share,
     * a record's history update, deleting records share; everything else its method's default.
     */
    public static final JsonArray RULES = new JsonArray()
            .add(new JsonObject().put("methods", new JsonArray().add("POST")).put("path", "/search").put("level", "view"))
            .add(new JsonObject().putNull("methods").put("path", "/export/**").put("level", "share"))
            .add(new JsonObject().put("methods", new JsonArray().add("GET")).put("path", "/records/{id}/history")
                    .put("level", "update"))
            .add(new JsonObject().put("methods", new JsonArray().add("DELETE")).put("path", "/records/**")
                    .put("level", "share"));

    private static JsonObject ndxp(String platformUrl, String secretRef) {
        return new JsonObject().put("type", "oauth2_client_credentials").put("tokenUrl", platformUrl + StubPlatform.NDXP_TOKEN_PATH)
                .put("clientId", StubPlatform.NDXP_CLIENT_ID).put("clientSecretRef", secretRef).put("scope", "dan-cu");
    }

    public static JsonObject route(String code, String version, String status, String url) {
        return new JsonObject().put("serviceCode", code).put("version", version).put("status", status)
                .put("providerSystem", PROVIDER).put("providerAgency", PROVIDER_AGENCY)
                .put("upstreams", new JsonObject().put("test", url).put("production", url))
                .put("timeoutMs", 5000).put("maxRequestBytes", 1048576)
                .put("deprecatedAt", null).put("sunsetAt", null).put("retiredAt", null);
    }

    /** The subscriptions of PERIOD_OVER, PERIOD_AHEAD and PERIOD_LAST_DAY, their periods around {@code today}. */
    public static java.util.List<JsonObject> periodSubscriptions(LocalDate today) {
        return java.util.List.of(
                sub(PERIOD_OVER, "ho-tich", "v1", "production", null, null, null)
                        .put("periodStart", today.minusDays(30).toString()).put("periodEnd", today.minusDays(1).toString()),
                sub(PERIOD_AHEAD, "ho-tich", "v1", "production", null, null, null)
                        .put("periodStart", today.plusDays(1).toString()).put("periodEnd", today.plusDays(30).toString()),
                sub(PERIOD_LAST_DAY, "ho-tich", "v1", "production", null, null, null)
                        .put("periodStart", today.minusDays(30).toString()).put("periodEnd", today.toString()));
    }

    public static JsonObject sub(String system, String code, String version, String env, Integer rps, Integer burst,
            Long quota) {
        return new JsonObject().put("id", system + "-" + code + "-" + version + "-" + env).put("serviceCode", code)
                .put("version", version).put("consumerSystem", system).put("consumerAgency", CONSUMER_AGENCY)
                .put("environment", env).put("status", "active").put("requestsPerSecond", rps).put("burst", burst)
                .put("dailyQuota", quota);
    }

    /**
     * A maintenance window as catalog's feed carries it (docs/internal-apis.md): {@code serviceCodes} empty = every
     * service, {@code environment} null = both, {@code impact} unavailable or degraded.
     */
    public static JsonObject maintenance(String id, String title, java.util.List<String> serviceCodes,
            String environment, String impact, Instant startsAt, Instant endsAt) {
        return new JsonObject().put("id", id).put("title", title).put("serviceCodes", new JsonArray(serviceCodes))
                .put("environment", environment).put("impact", impact).put("startsAt", startsAt.toString())
                .put("endsAt", endsAt.toString()).put("cancelled", false);
    }
}
