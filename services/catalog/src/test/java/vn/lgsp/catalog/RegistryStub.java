package vn.lgsp.catalog;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * registry and auth as catalog sees them, on one real HTTP server: canned systems at
 * {@code GET /api/v1/systems/{code}}, a token at {@code POST /oauth2/token}, and a webhook sink at
 * {@code POST /hooks/...} whose deliveries tests can read.
 */
public class RegistryStub implements QuarkusTestResourceLifecycleManager {

    public static final String PROVIDER_AGENCY = "000.00.00.H62";
    public static final String CONSUMER_AGENCY = "000.00.00.H01";
    public static final String THIRD_AGENCY = "000.00.00.H99";
    public static final String PROVIDER_SYSTEM = "HTTT-DANCU";
    public static final String CONSUMER_SYSTEM = "HTTT-MOTCUA";
    public static final String CONSUMER_SYSTEM_2 = "HTTT-HOTICH";
    public static final String REVOKED_SYSTEM = "HTTT-CU";

    private static final Map<String, JsonObject> SYSTEMS = new java.util.concurrent.ConcurrentHashMap<>(Map.of(
            PROVIDER_SYSTEM, system(PROVIDER_SYSTEM, PROVIDER_AGENCY, "connected"),
            CONSUMER_SYSTEM, system(CONSUMER_SYSTEM, CONSUMER_AGENCY, "connected"),
            CONSUMER_SYSTEM_2, system(CONSUMER_SYSTEM_2, CONSUMER_AGENCY, "registered"),
            REVOKED_SYSTEM, system(REVOKED_SYSTEM, PROVIDER_AGENCY, "revoked")));

    /**
     * Registers (or moves) a connected system. Tests that move systems between agencies use systems of their own,
     * so the shared ones above keep the agencies other tests rely on.
     */
    public static void register(String code, String agency) {
        SYSTEMS.put(code, system(code, agency, "connected"));
    }

    /** Bodies of webhook deliveries received, oldest first. */
    public static final List<JsonObject> WEBHOOKS = new CopyOnWriteArrayList<>();
    /** A webhook request as received: enough to verify its RFC 9421 signature. */
    public record Delivery(String method, String host, String path, String query, Map<String, List<String>> headers, byte[] body) {
        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase(java.util.Locale.ROOT));
            return v == null || v.isEmpty() ? null : v.get(0);
        }
    }

    /** Every webhook request received, oldest first (including those answered with an error). */
    public static final List<Delivery> DELIVERIES = new CopyOnWriteArrayList<>();
    private static final Map<String, java.util.concurrent.atomic.AtomicInteger> FAILURES = new java.util.concurrent.ConcurrentHashMap<>();

    /** Authorization headers registry received, to prove catalog sends its service token. */
    public static final List<String> REGISTRY_AUTH = new CopyOnWriteArrayList<>();

    private Vertx vertx;
    private HttpServer server;

    private static JsonObject system(String code, String agency, String status) {
        return new JsonObject().put("code", code).put("agencyCode", agency).put("status", status).put("name", "System " + code);
    }

    public static String hookUrl() {
        return System.getProperty("catalog.test.hook-url");
    }

    /** A webhook URL on this stub with the given path under /hooks/. */
    public static String hookUrl(String path) {
        return hookUrl().replace("/hooks/motcua", "/hooks/" + path);
    }

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        server = vertx.createHttpServer().requestHandler(req -> {
            String path = req.path();
            if (path.equals("/oauth2/token") && req.method().name().equals("POST")) {
                req.response().putHeader("Content-Type", "application/json")
                        .end("{\"access_token\":\"stub-service-token\",\"token_type\":\"Bearer\",\"expires_in\":300}");
            } else if (path.startsWith("/api/v1/systems/")) {
                REGISTRY_AUTH.add(String.valueOf(req.getHeader("Authorization")));
                JsonObject system = SYSTEMS.get(path.substring("/api/v1/systems/".length()));
                if (system == null) {
                    req.response().setStatusCode(404).putHeader("Content-Type", "application/problem+json")
                            .end("{\"type\":\"urn:lgsp:problem:not-found\",\"status\":404}");
                } else {
                    req.response().putHeader("Content-Type", "application/json").end(system.encode());
                }
            } else if (path.startsWith("/hooks/")) {
                req.body().onSuccess(body -> {
                    Map<String, List<String>> headers = new java.util.HashMap<>();
                    req.headers().forEach(h -> headers.computeIfAbsent(h.getKey().toLowerCase(java.util.Locale.ROOT),
                            k -> new java.util.ArrayList<>()).add(h.getValue()));
                    DELIVERIES.add(new Delivery(req.method().name(), req.authority().toString(), path, req.query(), headers,
                            body.getBytes()));
                    // /hooks/flaky-<n>/... fails its first n calls, then accepts.
                    if (path.startsWith("/hooks/flaky-")) {
                        int n = Integer.parseInt(path.substring("/hooks/flaky-".length()).replaceAll("/.*", ""));
                        if (FAILURES.computeIfAbsent(path, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet() <= n) {
                            req.response().setStatusCode(500).end();
                            return;
                        }
                    }
                    WEBHOOKS.add(body.toJsonObject());
                    req.response().setStatusCode(204).end();
                });
            } else {
                req.response().setStatusCode(404).end();
            }
        });
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("registry stub could not start", e);
        }
        String base = "http://127.0.0.1:" + server.actualPort();
        System.setProperty("catalog.test.hook-url", base + "/hooks/motcua");
        return Map.of("lgsp.platform.registry-url", base, "lgsp.platform.auth-url", base,
                "lgsp.platform.client-secret", "test-only-secret");
    }

    @Override
    public void stop() {
        if (vertx != null) {
            vertx.close();
        }
    }
}
