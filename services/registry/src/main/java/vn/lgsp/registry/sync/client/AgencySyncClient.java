package vn.lgsp.registry.sync.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import vn.lgsp.common.client.PlatformConfig;
import vn.lgsp.common.client.ServiceTokens;

/**
 * Tells auth and catalog that a system, or an agency's code, changed (docs/internal-apis.md, "Agency changes"),
 * with registry's service token. Each call is an idempotent PUT of the current code; the answer is only
 * "accepted" or why not, since {@code AgencySync} retries until it is accepted.
 */
@ApplicationScoped
public class AgencySyncClient {

    @Inject
    PlatformConfig platform;

    @Inject
    ServiceTokens tokens;

    @Inject
    ObjectMapper mapper;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /** {@code PUT /api/v1/systems/{code}/agency} on auth ({@code toCatalog} false) or catalog. */
    public CompletableFuture<String> systemAgency(boolean toCatalog, String systemCode, String agencyCode) {
        String base = toCatalog ? platform.catalogUrl() : platform.authUrl();
        return put(base + "/api/v1/systems/" + encode(systemCode) + "/agency", Map.of("agencyCode", agencyCode), true);
    }

    /** {@code PUT /api/v1/agencies/{oldCode}/code} on auth: accounts of the old code follow to the new one. */
    public CompletableFuture<String> agencyCode(String oldCode, String newCode) {
        return put(platform.authUrl() + "/api/v1/agencies/" + encode(oldCode) + "/code", Map.of("newCode", newCode), true);
    }

    /**
     * {@code PUT /api/v1/agencies/{code}/status} {@code {"status":"ended"}} on auth, for the agency's code and each
     * former one, one after the other: the first refusal is the answer.
     */
    public CompletableFuture<String> agencyEnded(java.util.List<String> codes) {
        CompletableFuture<String> chain = CompletableFuture.completedFuture(null);
        for (String code : codes) {
            chain = chain.thenCompose(error -> error != null ? CompletableFuture.completedFuture(error)
                    : put(platform.authUrl() + "/api/v1/agencies/" + encode(code) + "/status", Map.of("status", "ended"), true));
        }
        return chain;
    }

    /** null when the peer accepted (2xx), otherwise what went wrong, short enough to show operators. */
    private CompletableFuture<String> put(String url, Map<String, String> body, boolean retryOn401) {
        String json;
        try {
            json = mapper.writeValueAsString(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return CompletableFuture.completedFuture("not sendable: " + e.getClass().getSimpleName());
        }
        return tokens.token().thenCompose(token -> http.sendAsync(HttpRequest.newBuilder(URI.create(url))
                .timeout(platform.callTimeout())
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.discarding()))
                .handle((response, error) -> {
                    if (error != null) {
                        Throwable cause = error.getCause() != null ? error.getCause() : error;
                        return CompletableFuture.completedFuture(url(url) + ": " + cause.getClass().getSimpleName());
                    }
                    if (response.statusCode() == 401 && retryOn401) {
                        tokens.invalidate(); // the peer may have seen auth rotate its keys: one fresh token
                        return put(url, body, false);
                    }
                    return CompletableFuture.completedFuture(response.statusCode() / 100 == 2 ? null
                            : url(url) + " answered HTTP " + response.statusCode());
                }).thenCompose(f -> f);
    }

    /** The peer and path, never a query or credentials. */
    private static String url(String url) {
        URI u = URI.create(url);
        return u.getHost() + (u.getPort() < 0 ? "" : ":" + u.getPort()) + u.getRawPath();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
