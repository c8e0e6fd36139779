package vn.lgsp.routing.upstreamauth;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import vn.lgsp.routing.config.RoutingConfig;

/**
 * Values of the secrets named in catalog's upstreamAuth, read from {@code lgsp.routing.upstream-auth.secrets-dir}
 * (one file per name, trailing newline ignored) with Vert.x' asynchronous file system, so the event loop never
 * blocks, and cached for {@code secret-cache-ttl}. Values are never logged and never leave this process except
 * toward the provider they belong to.
 */
@ApplicationScoped
public class UpstreamSecrets {

    @Inject
    Vertx vertx;

    @Inject
    RoutingConfig config;

    private record Cached(String value, long readAtNanos) {
    }

    private final ConcurrentHashMap<String, Cached> cache = new ConcurrentHashMap<>();

    /** The secret's value; fails with a message fit for an operator (names the secret, never a value). */
    public Future<String> get(String name) {
        Cached c = cache.get(name);
        long ttl = config.upstreamAuth().secretCacheTtl().toNanos();
        if (c != null && System.nanoTime() - c.readAtNanos() < ttl) {
            return Future.succeededFuture(c.value());
        }
        Path dir = Path.of(config.upstreamAuth().secretsDir()).toAbsolutePath().normalize();
        Path file = dir.resolve(name).normalize();
        if (!file.startsWith(dir) || file.equals(dir)) {
            return Future.failedFuture("secret name " + name + " points outside the secrets directory");
        }
        return vertx.fileSystem().readFile(file.toString()).map(buffer -> {
            String value = buffer.toString(StandardCharsets.UTF_8).strip();
            if (value.isEmpty()) {
                throw new IllegalStateException("secret " + name + " is empty");
            }
            cache.put(name, new Cached(value, System.nanoTime()));
            return value;
        }).recover(e -> c != null
                // keep using the last value read rather than cut the provider off over a transient read failure
                ? Future.succeededFuture(c.value())
                : Future.failedFuture("secret " + name + " is not available to the gateway (no readable file "
                        + name + " in its secrets directory)"));
    }
}
