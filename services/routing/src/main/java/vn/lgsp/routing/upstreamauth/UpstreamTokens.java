package vn.lgsp.routing.upstreamauth;

import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.tracing.TracingPolicy;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import vn.lgsp.routing.config.RoutingConfig;
import vn.lgsp.routing.proxy.UpstreamTls;

/**
 * OAuth2 client-credentials tokens (RFC 6749 §4.4) the gateway obtains from a provider's token endpoint, e.g. the
 * national platform's. One token per (token URL, client id, scope) is cached until shortly before it expires;
 * concurrent calls needing a new token share one request, so a burst of traffic never floods the token endpoint.
 */
@ApplicationScoped
public class UpstreamTokens {

    private static final Logger LOG = Logger.getLogger(UpstreamTokens.class);
    /** Used when the token response has no expires_in (RFC 6749 §5.1 makes it optional). */
    private static final long DEFAULT_LIFETIME_SECONDS = 300;

    @Inject
    Vertx vertx;

    @Inject
    RoutingConfig config;

    @Inject
    UpstreamTls tls;

    private HttpClient http;

    /** The secret's digest is part of the key: a rotated secret gets a fresh token at once, never a stale one. */
    record Key(String tokenUrl, String clientId, String scope, String secretDigest) {
    }

    private record Token(String value, long renewAtMillis) {
    }

    private final ConcurrentHashMap<Key, Token> tokens = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Key, Future<String>> pending = new ConcurrentHashMap<>();

    @PostConstruct
    void init() {
        http = tls.track(vertx.createHttpClient(tls.configure(new HttpClientOptions()
                .setConnectTimeout((int) config.upstreamAuth().tokenTimeout().toMillis())
                .setTracingPolicy(TracingPolicy.PROPAGATE))));
    }

    void stop(@Observes ShutdownEvent ev) {
        if (http != null) {
            http.close();
        }
    }

    public Future<String> token(String tokenUrl, String clientId, String clientSecret, String scope) {
        Key key = new Key(tokenUrl, clientId, scope, digest(clientSecret));
        Token cached = tokens.get(key);
        if (cached != null && System.currentTimeMillis() < cached.renewAtMillis()) {
            return Future.succeededFuture(cached.value());
        }
        return pending.computeIfAbsent(key, k -> fetch(k, clientSecret)
                .andThen(ar -> pending.remove(k)));
    }


    private Future<String> fetch(Key key, String clientSecret) {
        URI uri = URI.create(key.tokenUrl());
        boolean ssl = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
        String path = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        // RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic encoding
        String basic = Base64.getEncoder().encodeToString((form(key.clientId()) + ":" + form(clientSecret))
                .getBytes(StandardCharsets.UTF_8));
        String body = "grant_type=client_credentials" + (key.scope() == null ? "" : "&scope=" + form(key.scope()));
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(uri.getHost()).setPort(port)
                .setSsl(ssl).setURI(path).setTimeout(config.upstreamAuth().tokenTimeout().toMillis())
                .putHeader("Content-Type", "application/x-www-form-urlencoded")
                .putHeader("Accept", "application/json")
                .putHeader("Authorization", "Basic " + basic);
        return http.request(options)
                .compose(req -> req.send(Buffer.buffer(body)))
                .compose(resp -> resp.body().map(b -> {
                    if (resp.statusCode() != 200) {
                        // the error code is safe to show (RFC 6749 §5.2); the rest of the body is not echoed
                        String error = errorCode(b);
                        throw new IllegalStateException("the provider's token endpoint answered " + resp.statusCode()
                                + (error == null ? "" : " (" + error + ")"));
                    }
                    JsonObject json = new JsonObject(b);
                    String token = json.getString("access_token");
                    if (token == null || token.isBlank() || !"bearer".equalsIgnoreCase(json.getString("token_type", "bearer"))) {
                        throw new IllegalStateException("the provider's token endpoint returned no bearer access_token");
                    }
                    long lifetime = json.getLong("expires_in", DEFAULT_LIFETIME_SECONDS);
                    long renewIn = Math.max(0, lifetime * 1000 - config.upstreamAuth().tokenRefreshBefore().toMillis());
                    tokens.put(key, new Token(token, System.currentTimeMillis() + renewIn));
                    return token;
                }))
                .onFailure(e -> LOG.warnf("Could not obtain a provider token from %s for client %s: %s",
                        key.tokenUrl(), key.clientId(), e.getMessage()));
    }

    private static String errorCode(Buffer b) {
        try {
            String error = new JsonObject(b).getString("error");
            return error != null && error.matches("[\\x20-\\x21\\x23-\\x5B\\x5D-\\x7E]{1,64}") ? error : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String digest(String secret) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String form(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
