package vn.lgsp.registry.support;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** registry's own settings; where the peers are comes from {@code lgsp.platform.*} (PlatformConfig). */
@ConfigMapping(prefix = "lgsp.registry")
public interface RegistryConfig {

    Catalog catalog();

    /** Calls to catalog that check a connection request's requested services. */
    interface Catalog {
        /** Extra attempts after a failed lookup (connection error, timeout, 5xx); lookups are idempotent GETs. */
        @WithDefault("1")
        int retries();

        /** Consecutive failed lookups after which the breaker opens and lookups fail fast (503). */
        @WithDefault("5")
        int breakerFailures();

        /** How long an open breaker fails fast before letting one trial lookup through. */
        @WithDefault("30s")
        Duration breakerOpenFor();
    }
}
