package vn.lgsp.catalog.client;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;
import vn.lgsp.catalog.support.CatalogConfig;
import vn.lgsp.catalog.support.FieldErrors;
import vn.lgsp.common.client.ServiceTokens;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;

/**
 * Asks registry whether an information system exists, is usable and which agency it belongs to
 * (docs/internal-apis.md). Bounded by a timeout; a 401 renews catalog's service token once.
 * Registry being down is a 503 for the caller, never a silent pass.
 */
@ApplicationScoped
public class RegistryClient {

    private static final Logger LOG = Logger.getLogger(RegistryClient.class);

    @Inject
    RegistryHttp http;

    @Inject
    ServiceTokens tokens;

    @Inject
    CatalogConfig config;

    /** The system, or a 422 problem naming {@code field} when it does not exist or may not be used. */
    @WithSpan("catalog.registry.system")
    public Uni<RegistrySystem> requireSystem(String code, String field) {
        return Uni.createFrom().completionStage(() -> lookup(code, true))
                .ifNoItem().after(config.registryTimeout()).failWith(() -> unavailable("registry did not answer in time"))
                .onFailure(e -> !(e instanceof ProblemException)).transform(e -> {
                    LOG.warnf("Registry lookup of system %s failed: %s", code, e.getMessage());
                    return unavailable("registry could not be asked about system " + code);
                })
                .map(found -> {
                    RegistrySystem system = found.orElseThrow(() -> FieldErrors.of(ProblemType.UNPROCESSABLE, field,
                            "registeredSystem", "System " + code + " is not registered in registry"));
                    if (!system.usable()) {
                        throw FieldErrors.of(ProblemType.UNPROCESSABLE, field, "usableSystem",
                                "System " + code + " is " + system.status() + " in registry");
                    }
                    return system;
                });
    }

    private CompletableFuture<Optional<RegistrySystem>> lookup(String code, boolean retryOn401) {
        return tokens.token().thenCompose(token -> http.system(code, token, config.registryTimeout()))
                .exceptionallyCompose(e -> {
                    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
                    if (retryOn401 && cause instanceof RegistryHttp.Failure f && f.status == 401) {
                        tokens.invalidate();
                        return lookup(code, false);
                    }
                    return CompletableFuture.failedFuture(cause);
                });
    }

    private static ProblemException unavailable(String detail) {
        return new ProblemException(ProblemType.UNAVAILABLE, detail + "; try again shortly");
    }
}
