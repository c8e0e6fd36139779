package vn.lgsp.catalog.support;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** catalog's own settings; where the peers are comes from {@code lgsp.platform.*} (PlatformConfig). */
@ConfigMapping(prefix = "lgsp.catalog")
public interface CatalogConfig {

    /** Upper bound of one registry lookup, token fetch included. */
    @WithDefault("3s")
    Duration registryTimeout();

    /** Upper bound of one webhook delivery attempt. */
    @WithDefault("5s")
    Duration webhookTimeout();

    /** How often a long-polling feed reader re-checks the change log. */
    @WithDefault("200ms")
    Duration feedPollInterval();
}
