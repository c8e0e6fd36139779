package vn.lgsp.routing.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.PublicKey;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.RsaJsonWebKey;
import vn.lgsp.testing.TestJwt;

/**
 * catalog and auth as routing sees them, as one real HTTP server: token endpoint, JWKS, snapshot feed,
 * revocation feed and hmac-keys feed (all with ETag / 304). Tests change what it serves while the application runs.
 */
public final class StubPlatform implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;
    private final Map<String, PublicKey> keys = new LinkedHashMap<>();
    private volatile JsonObject catalog = new JsonObject().put("revision", 1).put("routes", new JsonArray())
            .put("subscriptions", new JsonArray());
    private volatile JsonObject revocations = new JsonObject().put("revision", 1)
            .put("revokedClientIds", new JsonArray()).put("revokedTokenIds", new JsonArray());
    private volatile JsonObject hmacKeys = new JsonObject().put("revision", 1).put("keys", new JsonArray());
    private final java.util.List<JsonObject> changes = new java.util.ArrayList<>();
    private volatile long retainedFrom = 1;
    private volatile int changesPageSize = 100;
    private final AtomicInteger snapshotLoads = new AtomicInteger();
    private final AtomicInteger feedCallsWithoutToken = new AtomicInteger();
    private final AtomicInteger jwksCalls = new AtomicInteger();
    private final AtomicInteger providerTokenCalls = new AtomicInteger();
    private volatile boolean down;
    private volatile boolean trickleChanges;
    private final AtomicInteger trickled = new AtomicInteger();
    private final java.util.List<io.vertx.core.http.HttpServerResponse> trickling =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    public StubPlatform() {
        keys.put(TestJwt.KEY_ID, TestJwt.keys().getPublic());
        server = vertx.createHttpServer().requestHandler(this::handle);
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    /**
     * Serves a whole new snapshot. Its change log starts afresh at its revision: a reader behind it gets 410 from
     * the change feed and must load the snapshot, as from catalog when its log was pruned.
     */
    public synchronized void catalog(JsonObject snapshot) {
        catalog = snapshot;
        changes.clear();
        retainedFrom = snapshot.getLong("revision");
    }

    /**
     * One change as catalog records it: the route, subscription or maintenance window as it is now, under the next
     * revision; the snapshot served afterwards holds it too (a cancelled window leaves the snapshot's list, as
     * catalog lists only windows in force).
     */
    public synchronized void change(String kind, JsonObject data) {
        long revision = catalog.getLong("revision") + 1;
        JsonObject next = catalog.copy().put("revision", revision);
        boolean route = "route".equals(kind);
        String key = route ? data.getString("serviceCode") + ":" + data.getString("version") : data.getString("id");
        String listName = route ? "routes" : "maintenance".equals(kind) ? "maintenance" : "subscriptions";
        if (next.getJsonArray(listName) == null) {
            next.put(listName, new JsonArray());
        }
        JsonArray list = next.getJsonArray(listName);
        for (int i = list.size() - 1; i >= 0; i--) {
            JsonObject o = list.getJsonObject(i);
            String k = route ? o.getString("serviceCode") + ":" + o.getString("version") : o.getString("id");
            if (key.equals(k)) {
                list.remove(i);
            }
        }
        if (!data.getBoolean("cancelled", false)) {
            list.add(data);
        }
        catalog = next;
        changes.add(new JsonObject().put("seq", revision).put("kind", kind).put("key", key).put("data", data));
    }

    /** A change in the log only (the snapshot unchanged), e.g. one a reader cannot parse. */
    public synchronized void rawChange(String kind, String key, JsonObject data) {
        long revision = catalog.getLong("revision") + 1;
        catalog = catalog.copy().put("revision", revision);
        changes.add(new JsonObject().put("seq", revision).put("kind", kind).put("key", key).put("data", data));
    }

    /** Snapshots served whole (200), not counting 304s. */
    public int snapshotLoads() {
        return snapshotLoads.get();
    }

    /** Changes per page of the change feed (catalog's is larger); a small one makes readers follow hasMore. */
    public void changesPageSize(int size) {
        changesPageSize = size;
    }

    public JsonObject catalog() {
        return catalog.copy();
    }

    /**
     * While on, the change feed answers 200 and then trickles a space every 100 ms without ever finishing: data
     * keeps arriving, so no idle timeout ends the reader's call. Switching it off leaves the answers already
     * trickling as they are (see {@link #endTrickles()}).
     */
    public void trickleChanges(boolean on) {
        trickleChanges = on;
    }

    /** Change-feed answers that have started trickling. */
    public int trickled() {
        return trickled.get();
    }

    /** Finishes the trickling answers as valid, empty pages. */
    public void endTrickles() {
        vertx.runOnContext(v -> {
            for (io.vertx.core.http.HttpServerResponse r : trickling) {
                if (!r.ended() && !r.closed()) {
                    r.end("\"revision\":0,\"hasMore\":false,\"changes\":[]}");
                }
            }
            trickling.clear();
        });
    }

    private void trickle(HttpServerRequest req) {
        trickled.incrementAndGet();
        io.vertx.core.http.HttpServerResponse response = req.response().setChunked(true)
                .putHeader("Content-Type", "application/json");
        trickling.add(response);
        response.write("{");
        vertx.setPeriodic(100, id -> {
            if (response.ended() || response.closed()) {
                vertx.cancelTimer(id);
            } else {
                response.write(" ");
            }
        });
    }

    public synchronized void revokeClient(String clientId) {
        JsonObject next = revocations.copy();
        next.getJsonArray("revokedClientIds").add(clientId);
        next.put("revision", next.getLong("revision") + 1);
        revocations = next;
    }

    public synchronized void revokeToken(String jti) {
        JsonObject next = revocations.copy();
        next.getJsonArray("revokedTokenIds").add(jti);
        next.put("revision", next.getLong("revision") + 1);
        revocations = next;
    }

    /** Publishes an access key for RFC 9421 signed requests, as auth's hmac-keys feed does. */
    public synchronized void addHmacKey(String accessKey, String secretKey, String system, String agency,
            String environment, String expiresAt) {
        JsonObject next = hmacKeys.copy();
        next.getJsonArray("keys").add(new JsonObject().put("accessKey", accessKey).put("secretKey", secretKey)
                .put("systemCode", system).put("agencyCode", agency).put("environment", environment)
                .put("expiresAt", expiresAt).put("label", "ignored by routing"));
        next.put("revision", next.getLong("revision") + 1);
        hmacKeys = next;
    }

    /** An access key rotated to {@code secretKey}; {@code previousSecretKey} stays valid until {@code previousValidUntil}. */
    public synchronized void addRotatedHmacKey(String accessKey, String secretKey, String previousSecretKey,
            String previousValidUntil, String system, String agency) {
        JsonObject next = hmacKeys.copy();
        next.getJsonArray("keys").add(new JsonObject().put("accessKey", accessKey).put("secretKey", secretKey)
                .put("systemCode", system).put("agencyCode", agency).put("environment", "production")
                .put("previousSecretKey", previousSecretKey).put("previousValidUntil", previousValidUntil));
        next.put("revision", next.getLong("revision") + 1);
        hmacKeys = next;
    }

    public long hmacKeyRevision() {
        return hmacKeys.getLong("revision");
    }

    /** Publishes another verification key, as auth does when it rotates. */
    public synchronized void addKey(String kid, PublicKey key) {
        keys.put(kid, key);
    }

    /** Simulates catalog and auth being down: every endpoint answers 503. */
    public void down(boolean down) {
        this.down = down;
    }

    public int feedCallsWithoutToken() {
        return feedCallsWithoutToken.get();
    }

    public int jwksCalls() {
        return jwksCalls.get();
    }

    private void handle(HttpServerRequest req) {
        String path = req.path();
        if (down) {
            req.response().setStatusCode(503).end();
            return;
        }
        switch (path) {
            case "/oauth2/token" -> req.body().onComplete(ar -> json(req, 200, new JsonObject()
                    .put("access_token", TestJwt.service("routing")).put("token_type", "Bearer").put("expires_in", 600)));
            case NDXP_TOKEN_PATH -> providerToken(req);
            case "/oauth2/jwks" -> {
                jwksCalls.incrementAndGet();
                json(req, 200, jwks());
            }
            case "/api/v1/feed/snapshot" -> feed(req, catalog);
            case "/api/v1/feed/changes" -> changes(req);
            case "/api/v1/feed/revocations" -> feed(req, revocations);
            case "/api/v1/feed/hmac-keys" -> feed(req, hmacKeys);
            default -> req.response().setStatusCode(404).end();
        }
    }

    /** A provider's own OAuth2 token endpoint (e.g. the national platform's), which routing calls as a client. */
    public static final String NDXP_TOKEN_PATH = "/ndxp/oauth2/token";
    public static final String NDXP_CLIENT_ID = "lgsp-angiang";
    public static final String NDXP_CLIENT_SECRET = "ndxp-secret-of-angiang-0123456789";

    public int providerTokenCalls() {
        return providerTokenCalls.get();
    }

    private void providerToken(HttpServerRequest req) {
        req.body().onSuccess(body -> {
            String expected = "Basic " + java.util.Base64.getEncoder().encodeToString(
                    (NDXP_CLIENT_ID + ":" + NDXP_CLIENT_SECRET).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String form = body.toString();
            if (!expected.equals(req.getHeader("Authorization"))) {
                json(req, 401, new JsonObject().put("error", "invalid_client"));
            } else if (!form.contains("grant_type=client_credentials") || !form.contains("scope=dan-cu")) {
                json(req, 400, new JsonObject().put("error", "invalid_request"));
            } else {
                int n = providerTokenCalls.incrementAndGet();
                json(req, 200, new JsonObject().put("access_token", "ndxp-token-" + n).put("token_type", "Bearer")
                        .put("expires_in", 3600));
            }
        });
    }

    /** catalog's GET /api/v1/feed/changes?since= (without the long wait). */
    private synchronized void changes(HttpServerRequest req) {
        String auth = req.getHeader("Authorization");
        if (auth == null || !auth.startsWith("Bearer ")) {
            feedCallsWithoutToken.incrementAndGet();
            req.response().setStatusCode(401).end();
            return;
        }
        if (trickleChanges) {
            trickle(req);
            return;
        }
        long since = Long.parseLong(req.getParam("since"));
        long revision = catalog.getLong("revision");
        if (since < retainedFrom || since > revision) {
            req.response().setStatusCode(410).putHeader("Content-Type", "application/problem+json")
                    .end(new JsonObject().put("status", 410).put("title", "Gone").encode());
            return;
        }
        JsonArray page = new JsonArray();
        boolean more = false;
        for (JsonObject c : changes) {
            if (c.getLong("seq") > since) {
                if (page.size() == changesPageSize) {
                    more = true;
                    break;
                }
                page.add(c);
            }
        }
        long last = page.isEmpty() ? since : page.getJsonObject(page.size() - 1).getLong("seq");
        json(req, 200, new JsonObject().put("revision", last).put("hasMore", more).put("changes", page));
    }

    private void feed(HttpServerRequest req, JsonObject doc) {
        String auth = req.getHeader("Authorization");
        if (auth == null || !auth.startsWith("Bearer ")) {
            feedCallsWithoutToken.incrementAndGet();
            req.response().setStatusCode(401).end();
            return;
        }
        String etag = "\"" + doc.getLong("revision") + "\"";
        if (etag.equals(req.getHeader("If-None-Match"))) {
            req.response().setStatusCode(304).putHeader("ETag", etag).end();
            return;
        }
        req.response().putHeader("ETag", etag);
        if (doc == catalog) {
            snapshotLoads.incrementAndGet();
        }
        json(req, 200, doc);
    }

    private synchronized JsonObject jwks() {
        JsonArray list = new JsonArray();
        keys.forEach((kid, key) -> {
            try {
                RsaJsonWebKey jwk = new RsaJsonWebKey((java.security.interfaces.RSAPublicKey) key);
                jwk.setKeyId(kid);
                jwk.setUse("sig");
                jwk.setAlgorithm("RS256");
                list.add(new JsonObject(jwk.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return new JsonObject().put("keys", list);
    }

    private static void json(HttpServerRequest req, int status, JsonObject body) {
        req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }

    @Override
    public void close() {
        server.close();
        vertx.close();
    }
}
