package vn.lgsp.common.client;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
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

    Revocations revocations();

    interface Revocations {
        /**
         * Whether this service polls auth's revocation feed, so its own APIs refuse a token revoked since it was
         * issued (security.RevocationPoller). Off in routing, whose snapshot loader reads the same feed, and in
         * the services' own tests, which run without auth.
         */
        @WithDefault("true")
        boolean enabled();

        /** How often the feed is asked ({@code If-None-Match}: an unchanged feed costs a 304). */
        @WithDefault("2s")
        Duration interval();
    }

    interface Audit {
        /** Whether events are sent; when off they stay queued (tests inspect them). */
        @WithDefault("true")
        boolean enabled();

        /**
         * Events held in memory while audit is slow or down (with a spool: on their way to disk); beyond this,
         * offers are refused.
         */
        @WithDefault("20000")
        int bufferSize();

        @WithDefault("500")
        int batchSize();

        /** Batches in flight at once; more than one lets audit commit several together. */
        @WithDefault("1")
        int senders();

        @WithDefault("200ms")
        Duration flushInterval();

        /** How long shutdown waits for the buffer (or the spool) to drain. */
        @WithDefault("10s")
        Duration drainTimeout();

        /**
         * A local disk spool between the in-memory buffer and audit, so a service that produces events faster than
         * audit ingests them (the gateway under load) keeps serving instead of refusing once buffer-size events
         * wait. Off unless spool.dir is set: events are then held in memory only, as before.
         */
        Spool spool();
    }

    interface Spool {
        /**
         * Directory of the segment files ({@code seg-<sequence>.jsonl}, one event per line). Set it to switch the
         * spool on; it must belong to this one process (a lock file refuses a second one), and should outlive
         * the process (files left there are sent at the next start).
         */
        Optional<Path> dir();

        /**
         * Bytes of events the spool may hold: the bound on the backlog. Once the files reach it, offers are
         * refused (the gateway admits no more calls: 503 audit-unavailable) until audit has taken some. Events
         * already accepted are still written, and so are the records of calls admitted before it was reached, so
         * the files can pass it by those (fewer than buffer-size plus 256): size the volume a little above it.
         */
        @WithDefault("1073741824")
        long maxBytes();

        /**
         * Size at which a segment file is closed and handed to the senders (earlier, ~150 ms after its first event,
         * when the senders have nothing else to send). Whole segments are deleted once audit accepted all of their
         * events, so this is also the granularity at which disk space is given back.
         */
        @WithDefault("16777216")
        long segmentBytes();

        /**
         * How often the current segment is fsynced. Every event is written (write(2)) to the file within a few
         * milliseconds, which survives a crash of the process (the data is in the kernel's page cache); fsync is
         * what makes it survive a crash of the node, so this bounds what a node crash can lose. Segments are also
         * fsynced when they are closed.
         */
        @WithDefault("1s")
        Duration fsyncInterval();
    }
}
