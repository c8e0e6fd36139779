package vn.lgsp.routing.proxy;

import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.tracing.TracingPolicy;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import vn.lgsp.routing.config.RoutingConfig;
import vn.lgsp.routing.limit.LocalRateLimiter;
import vn.lgsp.routing.snapshot.domain.Route;

/**
 * The pooled connections towards providers: one pool per service version per event loop. A connection is only
 * ever used by the event loop that opened it (no thread hops), and a version's pools together keep at most its
 * catalog {@code maxConnections} open across the whole gateway: the cap is split over the live replicas (from
 * {@link LocalRateLimiter#replicas()}, which limit.ClusterBudget keeps current) and this replica's event loops,
 * rounded up, at least one each. Why per version: a provider answering in a second needs a hundred times the
 * connections of one answering in 10 ms for the same calls per second (Little's law), and an agency system must
 * not receive more concurrent calls than it declared; calls beyond the cap wait for a connection within the
 * version's timeout. Small pools also measured faster than large ones (Vert.x scans a pool's connections on every
 * request; issue 7), so a fast provider should get a small cap.
 * <p>
 * When the share changes (an edited cap, replicas coming or going) new calls go to a new pool of the new size;
 * the old one keeps its calls in flight and is closed once out of use for an hour, as is the pool of a version
 * not called for an hour ({@link #RETIRE_AFTER_MINUTES}: far beyond any call, whose timeout is at most 30 s).
 * <p>
 * A version whose catalog {@code pipelining} is above 1 (its provider declared it handles HTTP/1.1 pipelining, RFC
 * 9112 §9.3.2) has two pools per loop: bodiless GET, HEAD and OPTIONS requests go to one whose connections each
 * carry up to that many requests at once, answered in order; every other request to one that sends a request only
 * after the previous answer, since a client should not pipeline after a non-idempotent request (RFC 9112 §9.3.2).
 * The share is split between them (half each, rounded; below two connections no pipelining). Measured in the
 * gateway benchmark (load-tests/RESULTS.md): routing ÷ nginx 0.83 against 0.64 without it in one A/B pair of runs,
 * the provider and the gateway reading several answers and requests per system call. The price is head-of-line
 * blocking: an answer waits for the ones before it on its connection (Vert.x fills a connection before opening the
 * next, so even at low load), and a timed-out request closes its connection, failing those behind it (retried once
 * if idempotent, not counted against the provider's circuit); a caller leaving only has its answer dropped. So a
 * version whose operations answer in very different times keeps 1. Concurrent requests at the provider may reach
 * (share ÷ 2) × pipelining + share ÷ 2 per loop.
 */
@Singleton
public class UpstreamClients {

    static final long RETIRE_AFTER_MINUTES = 60;

    @Inject
    Vertx vertx;

    @Inject
    RoutingConfig config;

    @Inject
    LocalRateLimiter limiter;

    @Inject
    UpstreamTls tls;

    private final ConcurrentHashMap<Thread, LoopPools<HttpClient>> perEventLoop = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Shape, HttpClient> unconfined = new ConcurrentHashMap<>();
    private int eventLoops;

    /** The connections of one pool and the requests each may carry at once (1: no pipelining). */
    record Shape(int connections, int pipelining) {
    }

    /**
     * The pool for a request to this version: with pipelining, a bodiless GET/HEAD/OPTIONS goes to the pipelined
     * pool and everything else to the plain one, each with half the share.
     */
    static Shape shape(int share, int pipelining, boolean pipelinable) {
        if (pipelining <= 1 || share < 2) {
            return new Shape(share, 1);
        }
        return pipelinable ? new Shape(share / 2, pipelining) : new Shape(share - share / 2, 1);
    }

    /** Methods safe to send ahead of earlier answers (RFC 9110 §9.2.1), when the request has no body. */
    public static boolean pipelinable(HttpMethod method, boolean hasBody) {
        return !hasBody && (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS);
    }

    /** Whether such a request to this version goes to a pipelined pool. */
    public boolean pipelined(Route route, boolean pipelinable) {
        return shape(connectionsPerEventLoop(route.maxConnections()), route.pipelining(), pipelinable).pipelining() > 1;
    }

    /** The client whose pool serves this request to this version on the calling event loop. */
    public HttpClient forRoute(Route route, boolean pipelinable) {
        Shape size = shape(connectionsPerEventLoop(route.maxConnections()), route.pipelining(), pipelinable);
        Thread thread = Thread.currentThread();
        LoopPools<HttpClient> pools = perEventLoop.get(thread);
        if (pools == null) {
            if (!Context.isOnEventLoopThread()) {
                // Not expected on the data plane (every step runs on its event loop): a shared client per size
                // then, as the per-loop maps are confined to their loop.
                return unconfined.computeIfAbsent(size, this::create);
            }
            pools = perEventLoop.computeIfAbsent(thread, t -> {
                LoopPools<HttpClient> mine = new LoopPools<>(this::create, this::close, RETIRE_AFTER_MINUTES);
                // once a minute, on this loop (set from it): pools out of use for an hour are closed
                vertx.setPeriodic(TimeUnit.MINUTES.toMillis(1), id -> mine.sweep());
                return mine;
            });
        }
        return pools.client(route.serviceCode(), size.pipelining() > 1 ? route.version() + " pipelined" : route.version(),
                size);
    }

    /**
     * This replica's connections per event loop for a version whose cap is {@code maxConnections} gateway-wide:
     * ⌈maxConnections ÷ (live replicas × event loops)⌉, at least 1.
     */
    public int connectionsPerEventLoop(int maxConnections) {
        return share(maxConnections, limiter.replicas(), eventLoops());
    }

    static int share(int maxConnections, int replicas, int eventLoops) {
        long shares = (long) Math.max(1, replicas) * Math.max(1, eventLoops);
        return (int) Math.max(1, (Math.max(1, maxConnections) + shares - 1) / shares);
    }

    public int eventLoops() {
        return eventLoops;
    }

    @PostConstruct
    void init() {
        // once: availableProcessors() may read the container's cgroup limits
        eventLoops = config.dataPlane().eventLoops();
    }

    /** Pools open on all event loops (for the status endpoint). */
    public int pools() {
        return perEventLoop.values().stream().mapToInt(LoopPools::open).sum();
    }

    private HttpClient create(Shape shape) {
        HttpClientOptions options = new HttpClientOptions()
                .setKeepAlive(true)
                .setPipelining(shape.pipelining() > 1)
                .setPipeliningLimit(Math.max(1, shape.pipelining()))
                .setTcpNoDelay(true)
                .setConnectTimeout((int) config.upstream().connectTimeout().toMillis())
                // traceparent is set explicitly by the transform step; no second, competing span.
                .setTracingPolicy(TracingPolicy.IGNORE)
                .setDecompressionSupported(false)
                .setVerifyHost(true);
        // Calls beyond the pool wait (unbounded queue): each is bounded by its version's timeout (ProxyStep's timer).
        PoolOptions pool = new PoolOptions().setHttp1MaxSize(shape.connections()).setMaxWaitQueueSize(-1);
        return tls.track(vertx.createHttpClient(tls.configure(options), pool));
    }

    private void close(HttpClient client) {
        tls.forget(client);
        client.close();
    }

    void stop(@Observes ShutdownEvent ev) {
        perEventLoop.values().forEach(LoopPools::closeAll);
        unconfined.values().forEach(HttpClient::close);
    }

    /**
     * One event loop's pools, touched only by that loop (its sweep timer runs there too). Generic over the client
     * so the retirement rules can be tested without connections.
     */
    static final class LoopPools<C> {
        private final Function<Shape, C> factory;
        private final Consumer<C> closer;
        private final long retireAfterSweeps;
        private final Map<String, Map<String, Pool<C>>> byService = new HashMap<>();
        private final List<Pool<C>> retiring = new ArrayList<>();
        /** Sweeps so far; a pool remembers the last one during which it was used. */
        private long sweeps;
        private volatile int open;

        LoopPools(Function<Shape, C> factory, Consumer<C> closer, long retireAfterSweeps) {
            this.factory = factory;
            this.closer = closer;
            this.retireAfterSweeps = retireAfterSweeps;
        }

        /** {@code lane}: the version, or the version's pipelined lane; a new shape replaces the lane's pool. */
        C client(String serviceCode, String lane, Shape shape) {
            Map<String, Pool<C>> versions = byService.computeIfAbsent(serviceCode, k -> new HashMap<>());
            Pool<C> pool = versions.get(lane);
            if (pool == null || !pool.shape.equals(shape)) {
                if (pool != null) {
                    // its calls in flight finish on it; it closes once it has been out of use long enough
                    retiring.add(pool);
                }
                pool = new Pool<>(factory.apply(shape), shape);
                versions.put(lane, pool);
                open++;
            }
            pool.lastUsed = sweeps;
            return pool.client;
        }

        void sweep() {
            sweeps++;
            for (Iterator<Map<String, Pool<C>>> services = byService.values().iterator(); services.hasNext(); ) {
                Map<String, Pool<C>> versions = services.next();
                versions.values().removeIf(this::closeIfOld);
                if (versions.isEmpty()) {
                    services.remove();
                }
            }
            retiring.removeIf(this::closeIfOld);
        }

        int open() {
            return open;
        }

        private boolean closeIfOld(Pool<C> pool) {
            if (sweeps - pool.lastUsed < retireAfterSweeps) {
                return false;
            }
            closer.accept(pool.client);
            open--;
            return true;
        }

        void closeAll() {
            byService.values().forEach(v -> v.values().forEach(p -> closer.accept(p.client)));
            retiring.forEach(p -> closer.accept(p.client));
        }
    }

    private static final class Pool<C> {
        final C client;
        final Shape shape;
        long lastUsed;

        Pool(C client, Shape shape) {
            this.client = client;
            this.shape = shape;
        }
    }
}
