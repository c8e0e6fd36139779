package vn.lgsp.routing.proxy;

import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.tracing.TracingPolicy;
import jakarta.inject.Singleton;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.ConcurrentHashMap;
import vn.lgsp.routing.config.RoutingConfig;

/**
 * The pooled HTTP client towards providers, one Vert.x client per event loop: a connection is only ever used by
 * the event loop that opened it (no thread hops), and each loop keeps a small pool per upstream — small pools
 * measured faster than large ones because the pool scans its connections on every request (issue 7).
 */
@Singleton
public class UpstreamClients {

    @Inject
    Vertx vertx;

    @Inject
    RoutingConfig config;

    private final ConcurrentHashMap<Thread, HttpClient> perEventLoop = new ConcurrentHashMap<>();

    /** The client of the calling event loop. */
    public HttpClient current() {
        return perEventLoop.computeIfAbsent(Thread.currentThread(), t -> create());
    }

    private HttpClient create() {
        HttpClientOptions options = new HttpClientOptions()
                .setKeepAlive(true)
                .setPipelining(false)
                .setTcpNoDelay(true)
                .setConnectTimeout((int) config.upstream().connectTimeout().toMillis())
                // traceparent is set explicitly by the transform step; no second, competing span.
                .setTracingPolicy(TracingPolicy.IGNORE)
                .setDecompressionSupported(false)
                .setVerifyHost(true);
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(config.upstream().poolSizePerEventLoop())
                .setMaxWaitQueueSize(-1);
        return vertx.createHttpClient(options, pool);
    }

    public int clients() {
        return perEventLoop.size();
    }

    void stop(@Observes ShutdownEvent ev) {
        perEventLoop.values().forEach(HttpClient::close);
    }
}
