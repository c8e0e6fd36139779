package vn.lgsp.common.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * This service's own access token for calling other platform services, obtained from auth with the
 * OAuth2 client-credentials grant (RFC 6749 §4.4) and reused until shortly before it expires.
 */
@ApplicationScoped
public class ServiceTokens {

    /** Renew this long before expiry so a token never expires in flight. */
    private static final long RENEW_BEFORE_SECONDS = 60;

    @Inject
    PlatformConfig config;

    @Inject
    ObjectMapper mapper;

    @ConfigProperty(name = "quarkus.application.name")
    String applicationName;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(3)).build();
    private volatile String token;
    private volatile Instant renewAt = Instant.EPOCH;
    private volatile CompletableFuture<String> inFlight;

    /** The CDI bean. */
    public ServiceTokens() {
    }

    /** The same client outside CDI (library tests, tools). */
    public ServiceTokens(PlatformConfig config, ObjectMapper mapper, String applicationName) {
        this.config = config;
        this.mapper = mapper;
        this.applicationName = applicationName;
    }

    /** A valid token, fetched if needed. Never blocks the caller's thread. */
    public CompletableFuture<String> token() {
        String current = token;
        if (current != null && Instant.now().isBefore(renewAt)) {
            return CompletableFuture.completedFuture(current);
        }
        synchronized (this) {
            if (inFlight == null || inFlight.isDone()) {
                inFlight = fetch();
            }
            return inFlight;
        }
    }

    /** Forget the cached token, e.g. after a 401 when auth's keys were rotated. */
    public void invalidate() {
        token = null;
    }

    private CompletableFuture<String> fetch() {
        String clientId = config.clientId().orElse(applicationName);
        String secret = config.clientSecret().orElse(null);
        if (secret == null || secret.isBlank()) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "lgsp.platform.client-secret is not set: this service cannot call other platform services"));
        }
        String basic = Base64.getEncoder().encodeToString(
                (urlEncode(clientId) + ":" + urlEncode(secret)).getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(config.authUrl() + "/oauth2/token"))
                .timeout(config.callTimeout())
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials"))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("auth refused this service's client credentials: HTTP " + response.statusCode());
            }
            try {
                JsonNode body = mapper.readTree(response.body());
                String accessToken = body.path("access_token").asText();
                long expiresIn = body.path("expires_in").asLong(300);
                token = accessToken;
                renewAt = Instant.now().plusSeconds(Math.max(5, expiresIn - RENEW_BEFORE_SECONDS));
                return accessToken;
            } catch (java.io.IOException e) {
                throw new IllegalStateException("auth answered the token request with unreadable JSON", e);
            }
        })
                // The request's own timeout should end it; this bounds it even if that one is ever missed, so a
                // caller (and every caller sharing this fetch) is never left waiting on a future nobody completes.
                .orTimeout(config.callTimeout().toMillis() + 1000, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** RFC 6749 §2.3.1: client id and secret are form-encoded before Basic encoding. */
    private static String urlEncode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
