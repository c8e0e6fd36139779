package vn.lgsp.routing.gateway;

import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import vn.lgsp.routing.identity.SystemIdentity;
import vn.lgsp.routing.snapshot.domain.Route;
import vn.lgsp.routing.snapshot.domain.Snapshot;
import vn.lgsp.routing.snapshot.domain.Subscription;
import vn.lgsp.routing.snapshot.domain.Upstream;

/**
 * Everything the pipeline learns about one call, typed, in the order the steps fill it in. One snapshot is
 * read at the start so every step of a call sees the same world.
 */
public final class GatewayExchange {

    private final RoutingContext context;
    private final Context eventLoop = Vertx.currentContext();
    private final Snapshot snapshot;
    private final Instant startedAt = Instant.now();
    private final long startNanos = System.nanoTime();
    private final String requestId;

    // from the URL (set by the router, before any step)
    private final String serviceCode;
    private final String version;
    private final String restPath;
    // the request's framing, read once (Pipeline): Content-Length or -1, and whether a body follows
    private final long declaredLength;
    private final boolean announcesBody;

    // identify
    private SystemIdentity caller;
    private io.vertx.core.buffer.Buffer bufferedBody;
    // route
    private Route route;
    private Upstream upstream;
    // entitle
    private Subscription subscription;
    // transform
    private String traceId;
    private MultiMap upstreamHeaders;
    // proxy
    private long upstreamStartNanos;
    private long upstreamEndNanos;
    private long requestBytes;
    private long responseBytes;
    private String requestSha256;
    private String responseSha256;
    // outcome
    private String errorType;
    private boolean rejected;

    public GatewayExchange(RoutingContext context, Snapshot snapshot, String requestId, String serviceCode,
            String version, String restPath, long declaredLength, boolean announcesBody) {
        this.context = context;
        this.declaredLength = declaredLength;
        this.announcesBody = announcesBody;
        this.snapshot = snapshot;
        this.requestId = requestId;
        this.serviceCode = serviceCode;
        this.version = version;
        this.restPath = restPath;
    }

    /** The request's Content-Length, or -1 when it has none (or an unreadable one). */
    public long declaredLength() {
        return declaredLength;
    }

    /** Whether the request announces a body ({@code ProxyStep.hasBody}); a bodiless one is never paused. */
    public boolean announcesBody() {
        return announcesBody;
    }

    public RoutingContext context() {
        return context;
    }

    /** The Vert.x context the request arrived on. */
    public Context eventLoop() {
        return eventLoop;
    }

    public HttpServerRequest request() {
        return context.request();
    }

    public HttpServerResponse response() {
        return context.response();
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public long startNanos() {
        return startNanos;
    }

    public String requestId() {
        return requestId;
    }

    public String serviceCode() {
        return serviceCode;
    }

    public String version() {
        return version;
    }

    /** The path after /{serviceCode}/{version}, normalised, without the query; may be empty. */
    public String restPath() {
        return restPath;
    }

    /** The caller's path without the query string (what the audit log records). */
    public String path() {
        return "/" + serviceCode + "/" + version + restPath;
    }

    public SystemIdentity caller() {
        return caller;
    }

    public void caller(SystemIdentity caller) {
        this.caller = caller;
    }

    /**
     * The request body already read whole and checked against its signed Content-Digest (RFC 9421 callers only);
     * null when the body is still unread and will be streamed.
     */
    public io.vertx.core.buffer.Buffer bufferedBody() {
        return bufferedBody;
    }

    public void bufferedBody(io.vertx.core.buffer.Buffer body) {
        this.bufferedBody = body;
    }

    public Route route() {
        return route;
    }

    public Upstream upstream() {
        return upstream;
    }

    public void route(Route route, Upstream upstream) {
        this.route = route;
        this.upstream = upstream;
    }

    public Subscription subscription() {
        return subscription;
    }

    public void subscription(Subscription subscription) {
        this.subscription = subscription;
    }

    /**
     * The caller's agency as the platform knows it now: its subscription's, once entitled, because catalog follows
     * registry when a system moves agency and the snapshot with it, while a token issued before the move carries
     * the old code in its claim until it expires (up to an hour). Before entitlement (or if catalog sent none),
     * the credential's.
     */
    public String consumerAgency() {
        if (subscription != null && subscription.consumerAgency() != null && !subscription.consumerAgency().isBlank()) {
            return subscription.consumerAgency();
        }
        return caller == null ? null : caller.agency();
    }

    public String traceId() {
        return traceId;
    }

    public void traceId(String traceId) {
        this.traceId = traceId;
    }

    public MultiMap upstreamHeaders() {
        return upstreamHeaders;
    }

    public void upstreamHeaders(MultiMap headers) {
        this.upstreamHeaders = headers;
    }

    public void upstreamStarted() {
        this.upstreamStartNanos = System.nanoTime();
    }

    public void upstreamEnded() {
        this.upstreamEndNanos = System.nanoTime();
    }

    /** Time the provider took, from sending the request to the last response byte; null when not called. */
    public Long upstreamLatencyMs() {
        if (upstreamStartNanos == 0) {
            return null;
        }
        long end = upstreamEndNanos == 0 ? System.nanoTime() : upstreamEndNanos;
        return (end - upstreamStartNanos) / 1_000_000;
    }

    public long latencyMs() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    public long requestBytes() {
        return requestBytes;
    }

    public long responseBytes() {
        return responseBytes;
    }

    public String requestSha256() {
        return requestSha256;
    }

    public String responseSha256() {
        return responseSha256;
    }

    public void requestBody(long bytes, String sha256) {
        this.requestBytes = bytes;
        this.requestSha256 = sha256;
    }

    public void responseBody(long bytes, String sha256) {
        this.responseBytes = bytes;
        this.responseSha256 = sha256;
    }

    public String errorType() {
        return errorType;
    }

    /** Why the call did not complete normally: a problem slug, or e.g. upstream-reset / client-closed. */
    public void errorType(String errorType) {
        if (this.errorType == null) {
            this.errorType = errorType;
        }
    }

    public boolean rejected() {
        return rejected;
    }

    public void rejected(String slug) {
        this.rejected = true;
        errorType(slug);
    }
}
