package vn.lgsp.registry.connection.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;
import vn.lgsp.common.client.PlatformConfig;
import vn.lgsp.common.client.ServiceTokens;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;
import vn.lgsp.common.net.CircuitBreaker;
import vn.lgsp.registry.support.RegistryConfig;

/**
 * Registry's lookups in catalog (docs/internal-apis.md): which versions a data service has and their status,
 * with registry's service token. Each lookup is bounded by the call timeout, retried on connection errors,
 * timeouts and 5xx, and guarded by a circuit breaker; when catalog cannot answer the caller gets 503 and
 * nothing is written.
 */
@ApplicationScoped
public class CatalogClient {

    private static final Logger LOG = Logger.getLogger(CatalogClient.class);

    @Inject
    PlatformConfig platform;

    @Inject
    RegistryConfig config;

    @Inject
    ServiceTokens tokens;

    @Inject
    ObjectMapper mapper;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private CircuitBreaker breaker;

    @PostConstruct
    void init() {
        breaker = new CircuitBreaker(config.catalog().breakerFailures(), config.catalog().breakerOpenFor().toMillis(),
                () -> System.nanoTime() / 1_000_000); // monotonic: a wall-clock step must not open or close it
    }

    /** version → status of a data service's versions; empty when catalog does not know the service. */
    @WithSpan("registry.catalog.service-versions")
    public Uni<Optional<Map<String, String>>> versions(String serviceCode) {
        Context context = Vertx.currentContext();
        Uni<Optional<Map<String, String>>> call = Uni.createFrom().deferred(() -> {
            if (!breaker.tryAcquire()) {
                return Uni.createFrom().failure(unavailable("catalog has been failing; registry is not calling it for a moment"));
            }
            return Uni.createFrom().completionStage(() -> attempt(serviceCode, config.catalog().retries(), true))
                    .invoke(breaker::onSuccess)
                    .onFailure().invoke(e -> {
                        if (!(unwrap(e) instanceof ProblemException p) || p.type() == ProblemType.UNAVAILABLE) {
                            breaker.onFailure();
                        } else {
                            breaker.onSuccess(); // catalog answered (a refusal or unreadable JSON): it is reachable
                        }
                    });
        }).onFailure().transform(failure -> {
            Throwable e = unwrap(failure);
            if (e instanceof ProblemException) {
                return e;
            }
            LOG.warnf("catalog could not be reached for service %s: %s", serviceCode, e.getClass().getSimpleName());
            return unavailable("catalog could not be reached to check the requested services");
        });
        return context == null ? call : call.emitOn(r -> context.runOnContext(v -> r.run()));
    }

    private CompletableFuture<Optional<Map<String, String>>> attempt(String code, int retriesLeft, boolean retryOn401) {
        return tokens.token().thenCompose(token -> http.sendAsync(HttpRequest.newBuilder(URI.create(platform.catalogUrl()
                + "/api/v1/services/" + URLEncoder.encode(code, StandardCharsets.UTF_8) + "/versions"))
                .timeout(platform.callTimeout())
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .GET().build(), HttpResponse.BodyHandlers.ofString()))
                .handle((response, error) -> {
                    if (error == null && response.statusCode() == 401 && retryOn401) {
                        tokens.invalidate(); // catalog may have seen auth rotate its keys: one fresh token
                        return attempt(code, retriesLeft, false);
                    }
                    boolean transientFailure = error != null || response.statusCode() >= 500;
                    if (transientFailure && retriesLeft > 0) {
                        return attempt(code, retriesLeft - 1, retryOn401);
                    }
                    if (error != null) {
                        return CompletableFuture.<Optional<Map<String, String>>>failedFuture(error);
                    }
                    return CompletableFuture.completedFuture(read(code, response));
                }).thenCompose(f -> f);
    }

    private Optional<Map<String, String>> read(String code, HttpResponse<String> response) {
        int status = response.statusCode();
        if (status == 404) {
            return Optional.empty();
        }
        if (status >= 500) {
            LOG.warnf("catalog answered the versions of %s with HTTP %d", code, status);
            throw unavailable("catalog could not check the requested services (HTTP " + status + ")");
        }
        if (status != 200) {
            // 401/403: registry's own credentials or role at catalog are wrong; the caller cannot fix that
            LOG.warnf("catalog refused registry's lookup of %s with HTTP %d", code, status);
            throw new ProblemException(ProblemType.BAD_GATEWAY, "catalog refused to check the requested services (HTTP "
                    + status + "); nothing was changed");
        }
        try {
            Map<String, String> versions = new HashMap<>();
            for (JsonNode v : mapper.readTree(response.body())) {
                versions.put(v.path("version").asText(), v.path("status").asText());
            }
            return Optional.of(versions);
        } catch (java.io.IOException | RuntimeException e) {
            throw new ProblemException(ProblemType.BAD_GATEWAY, "catalog answered with unreadable JSON");
        }
    }

    private static ProblemException unavailable(String detail) {
        return new ProblemException(ProblemType.UNAVAILABLE, detail + "; nothing was changed, try again later",
                java.util.List.of(), Map.of("Retry-After", "5"));
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable e = failure;
        while (e instanceof java.util.concurrent.CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }
}
