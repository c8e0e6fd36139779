package vn.lgsp.routing.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** Everything the gateway can be tuned with; environment variables follow the Helm values (LGSP_ROUTING_...). */
@ConfigMapping(prefix = "lgsp.routing")
public interface RoutingConfig {

    /**
     * How often catalog's change feed ({@code ?since=}, only what changed) and auth's revocation and HMAC key
     * feeds ({@code If-None-Match}) are polled: cheap requests, about six a second per gateway pod. A revoked
     * credential or suspended subscription must be refused within 2 s (issue 7's journey): half a second leaves that
     * bound room for a slow poll, a GC pause or a busy node, where 1 s left it little.
     */
    @WithDefault("500ms")
    Duration snapshotPoll();

    /** Beyond this age readiness still says UP (serving from the last good snapshot is the point) but adds stale=true. */
    @WithDefault("60s")
    Duration snapshotMaxAge();

    /** Refuse calls with 503 rather than serve them unlogged when the audit buffer is full. */
    @WithDefault("true")
    boolean refuseWhenAuditUnavailable();

    /** The {@code iss} of the gateway assertion providers receive. */
    @WithDefault("urn:lgsp:routing")
    String assertionIssuer();

    /** PKCS#8 PEM RSA private key signing the gateway assertion; generated at start (with a warning) when unset. */
    Optional<String> assertionKey();

    /** Key id published with the assertion key; derived from the key (RFC 7638 thumbprint) when unset. */
    Optional<String> assertionKeyId();

    @WithDefault("5m")
    Duration assertionTtl();

    DataPlane dataPlane();

    Identity identity();

    Upstream upstream();

    Circuit circuit();

    HealthCheck healthCheck();

    UpstreamAuth upstreamAuth();

    Limit limit();

    Exchange exchange();

    /**
     * The data plane's own HTTP server (gateway.DataPlaneServer): agency systems call it; the Quarkus HTTP port
     * keeps the admin API, health, metrics and the assertion JWKS, as in Kong (proxy vs admin port) and X-Road.
     */
    interface DataPlane {
        /** Port of /{serviceCode}/{version}/...; 0 picks a free one (tests). */
        @WithDefault("8000")
        int port();

        @WithDefault("0.0.0.0")
        String host();

        /** Server instances, each on its own event loop; unset: one per available processor. */
        java.util.OptionalInt instances();

        /** The event loops serving the data plane (instances, or one per available processor). */
        default int eventLoops() {
            return instances().orElse(Runtime.getRuntime().availableProcessors());
        }

        /** A keep-alive connection idle this long is closed. */
        @WithDefault("30m")
        Duration idleTimeout();

        /** Largest request line plus headers (Vert.x refuses larger ones with 431 / 414). */
        @WithDefault("20480")
        int maxHeaderBytes();

        /**
         * OpenTelemetry server span per call: ALWAYS or IGNORE (Quarkus' tracer treats PROPAGATE as ALWAYS). Unset:
         * ALWAYS when traces are exported (quarkus.otel.traces.exporter not none), else IGNORE. The provider gets
         * a traceparent either way: the caller's trace continued, or a new one.
         */
        Optional<io.vertx.core.tracing.TracingPolicy> tracing();

        /** On shutdown, calls in flight get this long to finish before the server closes their connections. */
        @WithDefault("10s")
        Duration shutdownGrace();
    }

    /** How replicas share each subscription's rate and daily quota (limit.ClusterBudget). */
    interface Limit {
        /** Share budgets through PostgreSQL; false keeps every replica's budget to itself. */
        @WithDefault("true")
        boolean shared();

        @WithDefault("1s")
        Duration syncInterval();

        /** A replica not heard from for this long no longer takes a share of the rate. */
        @WithDefault("15s")
        Duration replicaTtl();
    }

    interface Identity {
        /** Verified tokens kept in memory (keyed by the token, until exp). */
        @WithDefault("100000")
        int tokenCacheSize();

        /** An unknown key id triggers a JWKS refresh at most this often. */
        @WithDefault("2s")
        Duration jwksRefreshMinInterval();

        /** Routine JWKS refresh, so rotated keys arrive before they are used. */
        @WithDefault("5m")
        Duration jwksRefreshInterval();

        @WithDefault("30s")
        Duration clockSkew();

        /**
         * Nonces of RFC 9421 signed requests remembered (per replica, for 10 min) to refuse replays. When full of
         * live nonces, new signed requests are refused until entries age out.
         */
        @WithDefault("200000")
        int nonceCacheSize();
    }

    interface Upstream {
        /**
         * A version's connection cap when the catalog names none (catalog's maxConnections: the whole gateway's, split
         * over the live replicas and their event loops; proxy.UpstreamClients).
         */
        @WithDefault("64")
        int defaultMaxConnections();

        /**
         * A named TLS configuration of Quarkus' registry ({@code quarkus.tls.<name>.*}) for https providers: their
         * CA (trust store) and the client certificate shown to those requiring mutual TLS (proxy.UpstreamTls).
         * Unset: the JVM's CAs and no client certificate.
         */
        Optional<String> tlsConfigurationName();

        @WithDefault("2s")
        Duration connectTimeout();

        /** Used when a route names no timeout; a route's own timeout is capped at 30 s (REQUIREMENTS P1). */
        @WithDefault("10s")
        Duration defaultTimeout();

        /** Used when a route names no maximum request body. */
        @WithDefault("10485760")
        long defaultMaxRequestBytes();

        /** The largest provider answer converted between JSON and XML (conversion must hold it whole). */
        @WithDefault("10485760")
        long maxConvertBytes();
    }

    interface Circuit {
        /** Consecutive transport failures (refused, reset, timed out) that open an upstream's circuit. */
        @WithDefault("5")
        int failureThreshold();

        /** How long an open circuit refuses calls before letting one probe through. */
        @WithDefault("10s")
        Duration openDuration();
    }

    /** Credentials the gateway presents to providers (catalog's per-version upstreamAuth). */
    interface UpstreamAuth {
        /** One file per secret name (a Kubernetes Secret mounted as a volume); the feed carries names only. */
        @WithDefault("/etc/lgsp/upstream-secrets")
        String secretsDir();

        /** Secret files are re-read this often, so a rotated Secret is picked up without a restart. */
        @WithDefault("60s")
        Duration secretCacheTtl();

        /** Timeout of a call to a provider's OAuth2 token endpoint. */
        @WithDefault("10s")
        Duration tokenTimeout();

        /** A cached provider token is renewed this long before it expires. */
        @WithDefault("30s")
        Duration tokenRefreshBefore();
    }

    interface HealthCheck {
        @WithDefault("10s")
        Duration interval();

        @WithDefault("5s")
        Duration timeout();
    }

    /** The asynchronous exchange (REQUIREMENTS X5): envelopes stored in routing's schema until delivered. */
    interface Exchange {
        /** The largest content an envelope may carry; an envelope may ask for less (maxBytes), never more. */
        @WithDefault("16777216")
        long maxContentBytes();

        /** How long an envelope waits for upload and delivery when its policy names no expiresIn. */
        @WithDefault("P7D")
        Duration defaultTtl();

        /** The longest expiresIn a policy may ask for. */
        @WithDefault("P30D")
        Duration maxTtl();

        /** How often expired envelopes are closed (their content deleted, both parties told). */
        @WithDefault("30s")
        Duration sweepInterval();

        /** How long the status of a finished envelope, and the notices of the event streams, are kept. */
        @WithDefault("P90D")
        Duration historyRetention();

        /** An event stream sends a comment this often, so proxies and load balancers keep it open. */
        @WithDefault("20s")
        Duration keepAlive();
    }
}
