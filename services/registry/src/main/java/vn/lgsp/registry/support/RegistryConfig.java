package vn.lgsp.registry.support;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** registry's own settings; where the peers are comes from {@code lgsp.platform.*} (PlatformConfig). */
@ConfigMapping(prefix = "lgsp.registry")
public interface RegistryConfig {

    Catalog catalog();

    AgencySync agencySync();

    /** Delivering agency changes (system moves, re-issued codes) to auth and catalog. */
    interface AgencySync {
        /** How often due and retried deliveries are looked for (each change is also sent as soon as it commits). */
        @WithDefault("5s")
        Duration pollInterval();

        /** Wait after the first refused or failed delivery; doubled after each further one. */
        @WithDefault("1s")
        Duration initialBackoff();

        /** The longest wait between attempts; deliveries are retried until accepted. */
        @WithDefault("5m")
        Duration maxBackoff();
    }

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
