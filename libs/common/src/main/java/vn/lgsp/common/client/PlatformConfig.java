package vn.lgsp.common.client;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the other platform services are, and this service's own client credentials for calling them.
 * Environment variables follow the Helm values: {@code LGSP_PLATFORM_AUTH_URL}, {@code LGSP_PLATFORM_CLIENT_SECRET}...
 */
@ConfigMapping(prefix = "lgsp.platform")
public interface PlatformConfig {

    @WithDefault("http://localhost:8081")
    String registryUrl();

    @WithDefault("http://localhost:8082")
    String authUrl();

    @WithDefault("http://localhost:8083")
    String catalogUrl();

    @WithDefault("http://localhost:8084")
    String auditUrl();

    /** This service's client id at auth; defaults to the application name. */
    Optional<String> clientId();

    /** This service's client secret at auth (from a Kubernetes Secret in production). */
    Optional<String> clientSecret();

    /** Timeout of one call to another platform service. */
    @WithDefault("5s")
    Duration callTimeout();

    Audit audit();

    interface Audit {
        /** Whether events are sent; when off they stay queued (tests inspect them). */
        @WithDefault("true")
        boolean enabled();

        /** Events held in memory while audit is slow or down; beyond this, offers are refused. */
        @WithDefault("20000")
        int bufferSize();

        @WithDefault("500")
        int batchSize();

        /** Batches in flight at once; more than one lets audit commit several together. */
        @WithDefault("1")
        int senders();

        @WithDefault("200ms")
        Duration flushInterval();

        /** How long shutdown waits for the buffer to drain. */
        @WithDefault("10s")
        Duration drainTimeout();
    }
}
