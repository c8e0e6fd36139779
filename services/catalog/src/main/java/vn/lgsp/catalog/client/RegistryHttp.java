package vn.lgsp.catalog.client;

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
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import vn.lgsp.common.client.PlatformConfig;

/** The raw HTTP call to registry; only {@link RegistryClient} uses it. */
@ApplicationScoped
class RegistryHttp {

    /** Thrown when the call fails for a reason other than "no such system". */
    static final class Failure extends RuntimeException {
        final int status;

        Failure(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    @Inject
    PlatformConfig platform;

    @Inject
    ObjectMapper mapper;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** The system, empty when registry says 404. */
    CompletableFuture<Optional<RegistrySystem>> system(String code, String token, Duration timeout) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(platform.registryUrl() + "/api/v1/systems/"
                + URLEncoder.encode(code, StandardCharsets.UTF_8).replace("+", "%20")))
                .timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Accept", "application/json")
                .GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> {
            if (response.statusCode() == 404) {
                return Optional.<RegistrySystem>empty();
            }
            if (response.statusCode() != 200) {
                throw new Failure(response.statusCode(), "registry answered HTTP " + response.statusCode());
            }
            try {
                JsonNode body = mapper.readTree(response.body());
                return Optional.of(new RegistrySystem(body.path("code").asText(null), body.path("agencyCode").asText(null),
                        body.path("status").asText(null)));
            } catch (java.io.IOException e) {
                throw new Failure(200, "registry answered with unreadable JSON");
            }
        });
    }
}
