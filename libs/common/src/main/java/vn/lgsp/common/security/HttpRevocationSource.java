package vn.lgsp.common.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import vn.lgsp.common.client.PlatformConfig;
import vn.lgsp.common.client.ServiceTokens;

/** auth's revocation feed over HTTP, with this service's own token; {@code If-None-Match} makes "unchanged" a 304. */
@ApplicationScoped
@DefaultBean
public class HttpRevocationSource implements RevocationSource {

    @Inject
    PlatformConfig config;

    @Inject
    ServiceTokens tokens;

    @Inject
    ObjectMapper mapper;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(java.time.Duration.ofSeconds(3)).build();

    /** The CDI bean. */
    public HttpRevocationSource() {
    }

    /** The same source outside CDI (library tests). */
    public HttpRevocationSource(PlatformConfig config, ServiceTokens tokens, ObjectMapper mapper) {
        this.config = config;
        this.tokens = tokens;
        this.mapper = mapper;
    }

    @Override
    public CompletionStage<RevocationFeed> fetch(long knownRevision) {
        return tokens.token().thenCompose(token -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(config.authUrl() + "/api/v1/feed/revocations"))
                    .timeout(config.callTimeout())
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "application/json");
            if (knownRevision >= 0) {
                request.header("If-None-Match", "\"" + knownRevision + "\"");
            }
            return http.sendAsync(request.GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        }).thenApply(response -> {
            switch (response.statusCode()) {
                case 304:
                    return null;
                case 200:
                    try {
                        return mapper.readValue(response.body(), RevocationFeed.class);
                    } catch (IOException e) {
                        throw new UncheckedIOException("auth's revocation feed is not readable JSON", e);
                    }
                case 401:
                    tokens.invalidate(); // e.g. auth's signing key rotated: the next poll fetches a new token
                    throw new IllegalStateException("auth refused this service's token for the revocation feed: HTTP 401");
                default:
                    throw new IllegalStateException("auth's revocation feed answered HTTP " + response.statusCode());
            }
        }).toCompletableFuture()
                // bounded even if the request's own timeout is ever missed, so the poller never waits for good
                .orTimeout(config.callTimeout().toMillis() * 2 + 1000, TimeUnit.MILLISECONDS);
    }
}
