package vn.lgsp.registry;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for auth and catalog on a real HTTP port: it hands registry a service token and answers the
 * credential API, recording every call (path, bearer, body) so tests can check what registry asked for.
 * {@link #mode} makes the credential endpoints fail: "refuse" answers 500, "drop" closes the connection.
 * It also answers catalog's {@code GET /api/v1/services/{code}/versions} for {@link #CATALOG}; {@link #catalogMode}
 * "error" answers 500 and "drop" closes the connection.
 */
public class AuthStub implements QuarkusTestResourceLifecycleManager {

    public static final String SERVICE_TOKEN = "registry-service-token";
    public static final String CLIENT_SECRET = "registry-test-client-secret";

    /** One call to the credential API. */
    public record Call(String path, String authorization, JsonObject body) {
    }

    public static final List<Call> CALLS = new CopyOnWriteArrayList<>();
    public static final List<String> TOKEN_REQUESTS = new CopyOnWriteArrayList<>();
    public static volatile String mode = "ok";

    /** Data services catalog knows: code → (version → status). */
    public static final Map<String, Map<String, String>> CATALOG = Map.of(
            "dan-cu", Map.of("v1", "published", "v2", "draft", "v3", "testing"),
            "ho-tich", Map.of("v1", "deprecated", "v2", "published"));
    public static final List<String> CATALOG_CALLS = new CopyOnWriteArrayList<>();
    public static volatile String catalogMode = "ok";

    /** One agency-change call ({@code PUT /api/v1/systems/{code}/agency}, {@code PUT /api/v1/agencies/{old}/code}, {@code …/{code}/status}). */
    public record SyncCall(String target, String path, String authorization, JsonObject body) {
    }

    public static final List<SyncCall> SYNC_CALLS = new CopyOnWriteArrayList<>();
    /** Per target ("auth", "catalog"): "ok", "refuse" (HTTP 500) or "drop" (connection closed). */
    public static final Map<String, String> SYNC_MODE = new java.util.concurrent.ConcurrentHashMap<>(Map.of("auth", "ok", "catalog", "ok"));

    private Vertx vertx;
    private HttpServer server;
    private HttpServer catalogServer;

    @Override
    public Map<String, String> start() {
        vertx = Vertx.vertx();
        // two ports, so calls that have the same path at auth and at catalog can be told apart
        server = vertx.createHttpServer().requestHandler(req -> handle(req, "auth"));
        catalogServer = vertx.createHttpServer().requestHandler(req -> handle(req, "catalog"));
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            catalogServer.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("auth stub could not start", e);
        }
        return Map.of("lgsp.platform.auth-url", "http://127.0.0.1:" + server.actualPort(),
                "lgsp.platform.catalog-url", "http://127.0.0.1:" + catalogServer.actualPort(),
                "lgsp.platform.client-secret", CLIENT_SECRET,
                "lgsp.platform.call-timeout", "2s");
    }

    private void handle(HttpServerRequest req, String target) {
        req.body().onSuccess(buffer -> {
            String path = req.path();
            if (req.method().name().equals("PUT") && (path.matches("/api/v1/systems/[^/]+/agency")
                    || path.matches("/api/v1/agencies/[^/]+/(code|status)"))) {
                String mode = SYNC_MODE.getOrDefault(target, "ok");
                if ("drop".equals(mode)) {
                    req.connection().close();
                    return;
                }
                SYNC_CALLS.add(new SyncCall(target, path, req.getHeader("Authorization"), buffer.toJsonObject()));
                json(req, "refuse".equals(mode) ? 500 : 200, new JsonObject());
                return;
            }
            if (path.equals("/oauth2/token")) {
                TOKEN_REQUESTS.add(req.getHeader("Authorization"));
                json(req, 200, new JsonObject().put("access_token", SERVICE_TOKEN).put("token_type", "Bearer").put("expires_in", 300));
                return;
            }
            if (path.startsWith("/api/v1/services/") && path.endsWith("/versions")) {
                CATALOG_CALLS.add(path + " " + req.getHeader("Authorization"));
                if ("drop".equals(catalogMode)) {
                    req.connection().close();
                    return;
                }
                if ("error".equals(catalogMode)) {
                    json(req, 500, new JsonObject().put("title", "boom"));
                    return;
                }
                if ("forbidden".equals(catalogMode)) {
                    json(req, 403, new JsonObject().put("type", "urn:lgsp:problem:forbidden").put("status", 403));
                    return;
                }
                String code = path.substring("/api/v1/services/".length(), path.length() - "/versions".length());
                Map<String, String> versions = CATALOG.get(code);
                if (versions == null) {
                    json(req, 404, new JsonObject().put("type", "urn:lgsp:problem:not-found").put("status", 404));
                    return;
                }
                io.vertx.core.json.JsonArray list = new io.vertx.core.json.JsonArray();
                versions.forEach((v, status) -> list.add(new JsonObject().put("serviceCode", code).put("version", v)
                        .put("status", status)));
                req.response().setStatusCode(200).putHeader("content-type", "application/json").end(list.encode());
                return;
            }
            if (path.startsWith("/api/v1/credentials")) {
                if ("drop".equals(mode)) {
                    req.connection().close();
                    return;
                }
                if ("refuse".equals(mode)) {
                    json(req, 500, new JsonObject().put("title", "boom"));
                    return;
                }
                JsonObject body = buffer.length() == 0 ? new JsonObject() : buffer.toJsonObject();
                CALLS.add(new Call(path, req.getHeader("Authorization"), body));
                if (path.equals("/api/v1/credentials")) {
                    String env = body.getString("environment");
                    json(req, 201, new JsonObject().put("id", UUID.randomUUID().toString())
                            .put("clientId", "ck_" + body.getString("systemCode") + "_" + env)
                            .put("clientSecret", "cs_secret_" + UUID.randomUUID()).put("environment", env));
                } else {
                    json(req, 200, new JsonObject().put("revoked", 1));
                }
                return;
            }
            json(req, 404, new JsonObject().put("title", "not found"));
        });
    }

    private static void json(HttpServerRequest req, int status, JsonObject body) {
        req.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }

    /** Calls made for one system, oldest first. */
    public static List<Call> callsFor(String systemCode) {
        return CALLS.stream().filter(c -> systemCode.equals(c.body().getString("systemCode"))).toList();
    }

    @Override
    public void stop() {
        try {
            server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            catalogServer.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // best effort in tests
        }
    }
}
