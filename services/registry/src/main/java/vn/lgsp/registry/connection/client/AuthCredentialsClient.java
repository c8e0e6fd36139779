package vn.lgsp.registry.connection.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;
import vn.lgsp.common.client.PlatformConfig;
import vn.lgsp.common.client.ServiceTokens;
import vn.lgsp.common.id.Environment;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;

/**
 * Registry's calls to auth's credential API (docs/internal-apis.md), with registry's service token.
 * The issued secret passes through to the caller once and is never stored or logged here; failures
 * become 503 (auth unreachable) or 502 (auth refused) so the workflow step is not taken.
 */
@ApplicationScoped
public class AuthCredentialsClient {

    private static final Logger LOG = Logger.getLogger(AuthCredentialsClient.class);

    @Inject
    PlatformConfig config;

    @Inject
    ServiceTokens tokens;

    @Inject
    ObjectMapper mapper;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @WithSpan("registry.auth.issue-credential")
    public Uni<JsonNode> issue(String systemCode, String agencyCode, Environment environment) {
        ObjectNode body = mapper.createObjectNode().put("systemCode", systemCode).put("agencyCode", agencyCode)
                .put("environment", environment.wire()).put("kind", "client_secret");
        return post("/api/v1/credentials", body).map(response -> {
            try {
                return mapper.readTree(response.body());
            } catch (java.io.IOException e) {
                throw new ProblemException(ProblemType.BAD_GATEWAY, "auth answered the credential request with unreadable JSON");
            }
        });
    }

    @WithSpan("registry.auth.revoke-credentials")
    public Uni<Void> revoke(String systemCode, Environment environment) {
        ObjectNode body = mapper.createObjectNode().put("systemCode", systemCode).put("environment", environment.wire());
        return post("/api/v1/credentials/revoke", body).replaceWithVoid();
    }

    private Uni<HttpResponse<String>> post(String path, ObjectNode body) {
        // Continue on the caller's Vert.x context: the transaction's connection belongs to it.
        Context context = Vertx.currentContext();
        Uni<HttpResponse<String>> call = Uni.createFrom().completionStage(() -> send(path, body, true))
                .onFailure().transform(failure -> {
                    Throwable e = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure;
                    if (e instanceof ProblemException) {
                        return e;
                    }
                    LOG.warnf("auth could not be reached for %s: %s", path, e.getClass().getSimpleName());
                    return new ProblemException(ProblemType.UNAVAILABLE,
                            "auth could not be reached to manage credentials; nothing was changed, try again later");
                });
        return context == null ? call : call.emitOn(r -> context.runOnContext(v -> r.run()));
    }

    private CompletableFuture<HttpResponse<String>> send(String path, ObjectNode body, boolean retryOn401) {
        return tokens.token().thenCompose(token -> {
            HttpRequest request = HttpRequest.newBuilder(URI.create(config.authUrl() + path))
                    .timeout(config.callTimeout())
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .header("Accept", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                    .build();
            return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        }).thenCompose(response -> {
            if (response.statusCode() == 401 && retryOn401) {
                // auth's keys may have rotated: fetch a fresh token once
                tokens.invalidate();
                return send(path, body, false);
            }
            if (response.statusCode() / 100 != 2) {
                // the body is not echoed: it is auth's business, and never needed by the registry's caller
                LOG.warnf("auth answered %s with HTTP %d", path, response.statusCode());
                return CompletableFuture.failedFuture(new ProblemException(ProblemType.BAD_GATEWAY,
                        "auth refused the credential change (HTTP " + response.statusCode() + "); nothing was changed"));
            }
            return CompletableFuture.completedFuture(response);
        });
    }
}
