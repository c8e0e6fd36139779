package vn.lgsp.routing.proxy;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import vn.lgsp.routing.snapshot.domain.Route;

/**
 * What each service version's provider costs its callers, on /q/metrics:
 * <ul>
 * <li>{@code lgsp_gateway_upstream_connection_wait_seconds{service_code,service_version}}: how long calls waited for one of the
 * version's pooled connections (its catalog maxConnections is the cap): waits that grow while the provider answers
 * as fast as before mean the cap is too small for the traffic;</li>
 * <li>{@code lgsp_gateway_upstream_response_seconds{service_code,service_version,outcome}}: from the request sent to the answer's
 * head, outcome {@code 2xx}…{@code 5xx} (the provider's status), {@code timeout} or {@code error} (refused, reset,
 * TLS). Little's law sizes the cap from it: connections ≈ calls per second × this latency.</li>
 * </ul>
 * Not "service"/"version": Prometheus' scrape adds its own {@code service} label (the Kubernetes Service), which would
 * rename ours. Fixed buckets (5 ms … 30 s, the regulation's ceiling) rather than percentile histograms: one series set per
 * version stays small with hundreds of versions. Meters are looked up once per version, not built per call.
 */
@Singleton
public class UpstreamMeters {

    static final String WAIT = "lgsp.gateway.upstream.connection.wait";
    static final String RESPONSE = "lgsp.gateway.upstream.response";
    private static final Duration[] BUCKETS = { Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
            Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10),
            Duration.ofSeconds(30) };
    private static final String[] OUTCOMES = { "1xx", "2xx", "3xx", "4xx", "5xx", "timeout", "error" };
    private static final int TIMEOUT = 5;
    private static final int ERROR = 6;

    @Inject
    MeterRegistry registry;

    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Version>> byService = new ConcurrentHashMap<>();

    /** The meters of a route's service version (created on its first call). */
    public Version of(Route route) {
        ConcurrentHashMap<String, Version> versions = byService.get(route.serviceCode());
        if (versions == null) {
            versions = byService.computeIfAbsent(route.serviceCode(), k -> new ConcurrentHashMap<>());
        }
        Version v = versions.get(route.version());
        return v != null ? v : versions.computeIfAbsent(route.version(), k -> new Version(route.serviceCode(), k));
    }

    private Timer timer(String name, String description, String service, String version, String outcome) {
        Timer.Builder b = Timer.builder(name).description(description).tag("service_code", service).tag("service_version", version)
                .serviceLevelObjectives(BUCKETS).maximumExpectedValue(Duration.ofSeconds(30));
        if (outcome != null) {
            b.tag("outcome", outcome);
        }
        return b.register(registry);
    }

    public final class Version {
        private final String service;
        private final String version;
        private final Timer wait;
        /** Registered on an outcome's first occurrence: most versions never see 1xx, 3xx or timeouts. */
        private final Timer[] response = new Timer[OUTCOMES.length];

        Version(String service, String version) {
            this.service = service;
            this.version = version;
            wait = timer(WAIT, "Time calls waited for a pooled connection to the provider", service, version, null);
        }

        public void waited(long nanos) {
            wait.record(nanos, TimeUnit.NANOSECONDS);
        }

        public void answered(int status, long nanos) {
            response(status >= 100 && status < 600 ? status / 100 - 1 : ERROR).record(nanos, TimeUnit.NANOSECONDS);
        }

        public void timedOut(long nanos) {
            response(TIMEOUT).record(nanos, TimeUnit.NANOSECONDS);
        }

        public void failed(long nanos) {
            response(ERROR).record(nanos, TimeUnit.NANOSECONDS);
        }

        private Timer response(int outcome) {
            Timer t = response[outcome];
            if (t == null) {
                // Two event loops may race here: the registry hands both the same meter.
                t = timer(RESPONSE, "Time from the request sent to the provider's answer head", service, version,
                        OUTCOMES[outcome]);
                response[outcome] = t;
            }
            return t;
        }
    }
}
