package vn.lgsp.routing.gateway;

import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.impl.HttpServerRequestInternal;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.tracing.TracingPolicy;
import io.vertx.ext.web.AllowForwardHeaders;
import io.vertx.ext.web.Router;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;
import vn.lgsp.common.web.RequestIds;
import vn.lgsp.routing.config.RoutingConfig;

/**
 * The data plane's own HTTP server, on its own port (8000), apart from the Quarkus HTTP server (8080) that keeps
 * the admin API, health, metrics, OpenAPI and the assertion JWKS. Why a server of its own: every call then goes
 * straight from Netty to the pipeline, without Quarkus' router chain (request context, security and route
 * filters meant for the REST endpoints), which measured about a fifth of the gateway's CPU per call
 * (load-tests/RESULTS.md); and only /{serviceCode}/{version}/... is reachable where agency systems connect, so the
 * Ingress no longer exposes /q/*. One server instance per event loop; Vert.x spreads the connections over them.
 */
@ApplicationScoped
public class DataPlaneServer {

    private static final Logger LOG = Logger.getLogger(DataPlaneServer.class);

    /**
     * Whether a (normalised) path is {@code /{serviceCode}/{version}[/...]}: a non-empty first segment, then
     * {@code v} and digits, then the end or a slash.
     */
    static boolean isGatewayPath(String path) {
        if (path == null || path.length() < 4 || path.charAt(0) != '/') {
            return false;
        }
        int first = path.indexOf('/', 1);
        if (first < 2 || first + 1 >= path.length() || path.charAt(first + 1) != 'v') {
            return false;
        }
        int i = first + 2;
        int digits = 0;
        while (i < path.length() && path.charAt(i) >= '0' && path.charAt(i) <= '9') {
            i++;
            digits++;
        }
        return digits > 0 && (i == path.length() || path.charAt(i) == '/');
    }

    /** The uri tag of the data plane's http_server_requests series (dashboards and alerts select on it). */
    static final String METRIC_URI = "/{service}/{version}/*";

    @Inject
    Vertx vertx;

    @Inject
    Pipeline pipeline;

    @Inject
    AuditGate auditGate;

    @Inject
    ProblemWriter problems;

    @Inject
    RoutingConfig config;

    // Forwarded headers: the same settings as the Quarkus port's (Helm: global.forwardedHeaders), so RFC 9421
    // signatures are checked against the URL the caller used (scheme and host at the Ingress) on both ports.
    @ConfigProperty(name = "quarkus.http.proxy.proxy-address-forwarding", defaultValue = "false")
    boolean proxyAddressForwarding;

    @ConfigProperty(name = "quarkus.http.proxy.allow-forwarded", defaultValue = "false")
    boolean allowForwarded;

    @ConfigProperty(name = "quarkus.http.proxy.allow-x-forwarded")
    java.util.Optional<Boolean> allowXForwarded;

    /** As on the Quarkus port: X-Forwarded-Host is believed only when this is on (the chart turns it on). */
    @ConfigProperty(name = "quarkus.http.proxy.enable-forwarded-host", defaultValue = "false")
    boolean enableForwardedHost;

    @ConfigProperty(name = "quarkus.http.proxy.trusted-proxies")
    java.util.Optional<List<String>> trustedProxies;

    @ConfigProperty(name = "quarkus.http.port", defaultValue = "8080")
    int quarkusPort;

    @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081")
    int quarkusTestPort;

    @ConfigProperty(name = "quarkus.otel.enabled", defaultValue = "true")
    boolean otelEnabled;

    @ConfigProperty(name = "quarkus.otel.traces.exporter", defaultValue = "cdi")
    String tracesExporter;

    private volatile String deploymentId;
    private volatile int actualPort;
    private volatile boolean draining;

    void start(@Observes StartupEvent ev) throws Exception {
        RoutingConfig.DataPlane dp = config.dataPlane();
        int instances = dp.eventLoops();
        TracingPolicy tracing = tracingPolicy();
        AllowForwardHeaders forwarded = forwardedHeaders();
        TrustedProxies proxies = TrustedProxies.parse(trustedProxies.orElse(List.of()));
        int port = dp.port() == 0 ? freePort() : dp.port();
        // Quarkus' Micrometer binder tags a server's meters with server_port when its options name a port, and
        // Prometheus refuses one meter name with two tag-key sets: the second server's listen then fails inside
        // Netty and Quarkus never finishes starting (nor stopping). So the options name a port exactly when the
        // Quarkus server's do (quarkus.http.port, or test-port in tests: 0 there); host and port go to listen().
        int quarkusOwnPort = LaunchMode.current() == LaunchMode.TEST ? quarkusTestPort : quarkusPort;
        HttpServerOptions options = new HttpServerOptions()
                .setPort(quarkusOwnPort > 0 ? port : 0)
                .setIdleTimeout((int) dp.idleTimeout().toSeconds())
                .setIdleTimeoutUnit(TimeUnit.SECONDS)
                .setMaxHeaderSize(dp.maxHeaderBytes())
                .setMaxInitialLineLength(Math.min(dp.maxHeaderBytes(), 8192))
                .setTcpNoDelay(true)
                .setTracingPolicy(tracing);
        boolean forwardedHost = enableForwardedHost;
        deploymentId = vertx.deployVerticle(() -> new Instance(options, dp.host(), port, forwarded, forwardedHost, proxies),
                new DeploymentOptions().setInstances(instances))
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        LOG.infof("Data plane listening on %s:%d (%d event loops, tracing %s, forwarded headers %s)", dp.host(),
                actualPort, instances, tracing, forwarded == AllowForwardHeaders.NONE ? "ignored"
                        : forwarded + (proxies.trustsAll() ? " from any peer" : " from trusted proxies"));
    }

    /** Which forwarding headers to believe, as Quarkus reads the same properties (X-Forwarded-* unless Forwarded is chosen). */
    AllowForwardHeaders forwardedHeaders() {
        if (!proxyAddressForwarding) {
            return AllowForwardHeaders.NONE;
        }
        boolean x = allowXForwarded.orElse(!allowForwarded);
        if (x && allowForwarded) {
            return AllowForwardHeaders.ALL;
        }
        return allowForwarded ? AllowForwardHeaders.FORWARD : x ? AllowForwardHeaders.X_FORWARD : AllowForwardHeaders.NONE;
    }

    /** Port 0 (tests): one free port for all instances, which must share it. */
    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * A server span per call only where spans go somewhere: with no exporter they would be built and dropped
     * (≈10% of the CPU per call); the provider gets a traceparent either way (TransformStep continues the caller's).
     */
    TracingPolicy tracingPolicy() {
        return config.dataPlane().tracing().orElseGet(() ->
                otelEnabled && !"none".equalsIgnoreCase(tracesExporter) ? TracingPolicy.ALWAYS : TracingPolicy.IGNORE);
    }

    /** The port the data plane listens on (the configured one, or the one picked for port 0). */
    public int port() {
        return actualPort;
    }

    /** True once shutdown began: answers carry Connection: close so clients move to another replica. */
    public boolean draining() {
        return draining;
    }

    /**
     * Before the audit publisher drains (its observer has the default priority): stop taking calls, let those in
     * flight finish within the grace period, and only then close, so every served call's record is in the backlog
     * the publisher delivers.
     */
    void stop(@Observes @Priority(1000) ShutdownEvent ev) {
        draining = true;
        long deadline = System.nanoTime() + config.dataPlane().shutdownGrace().toNanos();
        while (auditGate.inFlight() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (auditGate.inFlight() > 0) {
            LOG.warnf("Data plane closing with %d calls still in flight after the shutdown grace period", auditGate.inFlight());
        }
        String id = deploymentId;
        if (id != null) {
            try {
                vertx.undeploy(id).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warnf("Data plane did not close cleanly: %s", e.toString());
            }
        }
    }

    private static final String X_FORWARDED_HOST = "X-Forwarded-Host";

    private final class Instance extends AbstractVerticle {
        private final HttpServerOptions options;
        private final String host;
        private final int port;
        private final AllowForwardHeaders forwarded;
        private final boolean forwardedHost;
        private final TrustedProxies proxies;

        Instance(HttpServerOptions options, String host, int port, AllowForwardHeaders forwarded, boolean forwardedHost,
                TrustedProxies proxies) {
            this.options = options;
            this.host = host;
            this.port = port;
            this.forwarded = forwarded;
            this.forwardedHost = forwardedHost;
            this.proxies = proxies;
        }

        private Router router(AllowForwardHeaders allow) {
            Router router = Router.router(vertx).allowForward(allow);
            // One route for every path, checked by isGatewayPath rather than a regex route: the router would
            // match the regex and copy its groups into path parameters on every call.
            router.route().handler(rc -> {
                if (!isGatewayPath(rc.normalizedPath())) {
                    // Not a gateway path: the admin API and /q/* live on the Quarkus port.
                    problems.write(rc.response(), rc.request().path(),
                            RequestIds.accept(rc.request().getHeader(RequestIds.HEADER)),
                            new ProblemException(ProblemType.NOT_FOUND,
                                    "Gateway paths are /{serviceCode}/{version}/...; this is not one"));
                    return;
                }
                // http_server_requests' uri tag: one series for all gateway paths, named directly (Quarkus'
                // binder reads this context local, as Quarkus REST sets it) instead of by a regex per call.
                ((HttpServerRequestInternal) rc.request()).context().putLocal("UrlPathTemplate", METRIC_URI);
                if (draining) {
                    rc.response().putHeader("Connection", "close");
                }
                pipeline.handle(rc);
            });
            return router;
        }

        @Override
        public void start(Promise<Void> started) {
            Router direct = router(AllowForwardHeaders.NONE);
            // A second router believing forwarded headers, used only for connections from a trusted proxy.
            Router viaProxy = forwarded == AllowForwardHeaders.NONE ? null : router(forwarded);
            Handler<HttpServerRequest> handler = viaProxy == null ? direct : request -> {
                SocketAddress peer = request.connection().remoteAddress();
                if (!proxies.trusts(peer == null ? null : peer.hostAddress())) {
                    direct.handle(request);
                    return;
                }
                if (!forwardedHost) {
                    // vertx-web applies X-Forwarded-Host with the other X-Forwarded-* headers; Quarkus (and so the
                    // admin port) only when enable-forwarded-host is on: the same rule on both ports.
                    request.headers().remove(X_FORWARDED_HOST);
                }
                viaProxy.handle(request);
            };
            vertx.createHttpServer(options).requestHandler(handler).listen(port, host).onSuccess(server -> {
                actualPort = server.actualPort();
                started.complete();
            }).onFailure(started::fail);
        }
    }
}
