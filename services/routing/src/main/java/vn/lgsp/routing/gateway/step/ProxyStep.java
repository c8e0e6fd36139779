package vn.lgsp.routing.gateway.step;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import java.net.ConnectException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;
import vn.lgsp.common.web.RequestIds;
import vn.lgsp.routing.config.RoutingConfig;
import vn.lgsp.routing.gateway.BodyReader;
import vn.lgsp.routing.gateway.GatewayExchange;
import vn.lgsp.routing.gateway.HopByHop;
import vn.lgsp.routing.gateway.Step;
import vn.lgsp.common.net.CircuitBreaker;
import vn.lgsp.routing.proxy.CircuitBreakers;
import vn.lgsp.routing.proxy.UpstreamClients;
import vn.lgsp.routing.proxy.UpstreamMeters;
import vn.lgsp.routing.snapshot.domain.Route;
import vn.lgsp.routing.transform.BodyConverter;

/**
 * 7. Proxy: streams the request to the provider and its answer back, hashing and counting both bodies on the fly
 * (nothing is buffered whole; REQUIREMENTS X3). The provider's answer, whatever its status, passes through
 * untouched but for hop-by-hop headers. The gateway answers itself only when the provider could not: 413 (body
 * over the version's limit), 502 (refused or reset), 503 (circuit open), 504 (no answer within the version's
 * timeout). One retry, only for idempotent methods, only while no body byte has been sent, and only within what is
 * left of the version's timeout (which bounds the whole wait for the answer to start, the retry included). A
 * provider that stalls mid-body for longer than the version's timeout is cut off (the caller sees the connection
 * break, as headers are gone already).
 */
@Singleton
public class ProxyStep implements Step {

    /**
     * A retry needs at least this much of the version's timeout left; with less, the caller learns the provider's
     * failure (502) rather than a 504 for a retry that had no chance.
     */
    static final long MIN_RETRY_MS = 50;
    static final Set<HttpMethod> IDEMPOTENT = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS,
            HttpMethod.PUT, HttpMethod.DELETE);
    public static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final MessageDigest SHA256;

    static {
        try {
            SHA256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Inject
    Vertx vertx;

    @Inject
    UpstreamClients clients;

    @Inject
    CircuitBreakers breakers;

    @Inject
    UpstreamMeters meters;

    @Inject
    RoutingConfig config;

    @Override
    public Future<Void> apply(GatewayExchange exchange) {
        Route route = exchange.route();
        long declared = exchange.declaredLength();
        if (declared > route.maxRequestBytes()) {
            return Future.failedFuture(tooLarge(exchange, declared));
        }
        CircuitBreaker breaker = breakers.forUpstream(exchange.upstream().key());
        if (!breaker.tryAcquire()) {
            return Future.failedFuture(new ProblemException(ProblemType.PROVIDER_CIRCUIT_OPEN, "The provider of "
                    + exchange.serviceCode() + " " + exchange.version() + " is failing; calls are paused briefly",
                    List.of(), Map.of("Retry-After", Long.toString(breaker.retryAfterSeconds()))));
        }
        return new Call(exchange, breaker).start();
    }

    static ProblemException tooLarge(GatewayExchange exchange, long size) {
        return BodyReader.tooLarge(exchange, size, exchange.route().maxRequestBytes());
    }

    public static long contentLength(String value) {
        if (value == null) {
            return -1;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Whether the request announces a body: Content-Length > 0, chunked, or an HTTP/2 stream still open. A GET or
     * HEAD over HTTP/2 counts as bodiless even while its stream is open (e.g. after an h2c upgrade, as Java's
     * HttpClient does by default): such content has no defined meaning (RFC 9110 §9.3.1) and is never forwarded.
     */
    public static boolean hasBody(HttpServerRequest request, long declared) {
        String te = request.getHeader("Transfer-Encoding");
        return declared > 0 || (declared < 0 && ((te != null && te.toLowerCase(Locale.ROOT).contains("chunked"))
                || (request.version() == HttpVersion.HTTP_2 && !request.isEnded()
                        && request.method() != HttpMethod.GET && request.method() != HttpMethod.HEAD)));
    }

    private static String sha256Hex(Buffer body) {
        MessageDigest d = sha256();
        digest(d, body);
        return HexFormat.of().formatHex(d.digest());
    }

    private static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA256.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One proxied call: its attempts, streams, digests and the single outcome it settles. */
    private final class Call {
        private final GatewayExchange exchange;
        private final HttpServerRequest request;
        private final HttpServerResponse response;
        private final CircuitBreaker breaker;
        private final Route route;
        private final boolean hasBody;
        private final Promise<Void> done = Promise.promise();
        private MessageDigest requestDigest;
        private long requestBytes;
        private boolean requestEnded;
        private HttpClientRequest upstreamRequest;
        private HttpClientResponse upstreamResponse;
        /**
         * The call's one timer: until the answer starts it is the version's timeout (504); after, it checks that the
         * provider's body keeps coming. One timer, not Vert.x' request idle timeout as well: timers are a
         * concurrent map entry and a priority-queue insert and removal each, ≈ 5 % of the gateway's CPU per call
         * with two of them (and Vert.x 4 drops its idle timeout once the response head arrives anyway).
         */
        private long timer = -1;
        private int attempts;
        private boolean responseStarted;
        /** Response body streaming: when a chunk last arrived, and whether we paused the provider ourselves. */
        private long lastChunkNanos;
        private long streamedBytes;
        private boolean pausedForCaller;
        private boolean settled;
        /** Whether this attempt went to a pipelined pool: other callers' requests may wait behind it on its connection. */
        private boolean pipelined;
        /** This version's provider meters; when the attempt started and when its request went out (0: not yet). */
        private final UpstreamMeters.Version providerMeters;
        private long attemptNanos;
        private long sentNanos;
        /** When the first attempt started: the version's timeout bounds the wait for the answer, a retry included. */
        private long startNanos;

        Call(GatewayExchange exchange, CircuitBreaker breaker) {
            this.exchange = exchange;
            this.request = exchange.request();
            this.response = exchange.response();
            this.breaker = breaker;
            this.route = exchange.route();
            this.providerMeters = meters.of(route);
            Buffer buffered = exchange.bufferedBody();
            if (buffered != null) {
                // Read and digest-checked already (signed request): sent whole, and replayable on a retry.
                this.hasBody = buffered.length() > 0;
                this.requestEnded = true;
                exchange.requestBody(buffered.length(), hasBody ? sha256Hex(buffered) : EMPTY_SHA256);
                return;
            }
            this.hasBody = exchange.announcesBody();
            if (!hasBody) {
                exchange.requestBody(0, EMPTY_SHA256);
            }
        }

        Future<Void> start() {
            exchange.context().addEndHandler(ar -> {
                if (ar.failed() && !settled) {
                    // The caller went away before its answer was complete.
                    exchange.errorType("client-closed");
                    settle(null);
                    abandonUpstream();
                }
            });
            startNanos = System.nanoTime();
            attempt();
            return done.future();
        }

        private void attempt() {
            attempts++;
            exchange.upstreamStarted();
            RequestOptions options = new RequestOptions()
                    .setMethod(request.method())
                    .setHost(exchange.upstream().host())
                    .setPort(exchange.upstream().port())
                    .setSsl(exchange.upstream().ssl())
                    .setURI(exchange.upstream().requestUri(exchange.restPath(), request.query()))
                    .setHeaders(exchange.upstreamHeaders())
                    .setFollowRedirects(false);
            long thisAttempt = attempts;
            timer = vertx.setTimer(Math.max(1, remainingMs()), id -> onTimer(thisAttempt));
            attemptNanos = System.nanoTime();
            sentNanos = 0;
            // A retry never goes on a pipelined connection: the first attempt failed because its connection closed
            // under it (a provider's keep-alive limit, another caller's timed-out request ahead of it), and on the
            // one-at-a-time connections nothing else's fate can take the retry down with it.
            boolean pipelinable = attempts == 1 && UpstreamClients.pipelinable(request.method(), hasBody);
            pipelined = clients.pipelined(route, pipelinable);
            clients.forRoute(route, pipelinable).request(options).onComplete(ar -> {
                if (ar.failed()) {
                    onTransportFailure(ar.cause());
                    return;
                }
                sentNanos = System.nanoTime();
                if (thisAttempt == attempts) {
                    providerMeters.waited(sentNanos - attemptNanos);
                }
                HttpClientRequest upstream = ar.result();
                // Failures surface through the response future; without a handler Vert.x logs each reset as an
                // error ("Stream reset: 0"), e.g. for calls whose caller left while they waited for a connection.
                upstream.exceptionHandler(t -> { });
                if (settled || thisAttempt != attempts) {
                    upstream.reset();
                    return;
                }
                upstreamRequest = upstream;
                upstream.response().onComplete(rar -> {
                    if (thisAttempt != attempts) {
                        return;
                    }
                    if (rar.failed()) {
                        onTransportFailure(rar.cause());
                    } else {
                        onResponse(rar.result());
                    }
                });
                sendBody(upstream);
            });
        }

        private void sendBody(HttpClientRequest upstream) {
            Buffer buffered = exchange.bufferedBody();
            if (buffered != null && hasBody) {
                upstream.putHeader("Content-Length", Integer.toString(buffered.length()));
                upstream.end(buffered);
                return;
            }
            if (!hasBody || requestEnded) {
                // Nothing to stream: a bodiless request was never paused (Pipeline), a buffered one is read.
                upstream.end();
                return;
            }
            if (exchange.upstreamHeaders().get("Content-Length") == null) {
                upstream.setChunked(true);
            }
            requestDigest = sha256();
            request.handler(chunk -> {
                requestBytes += chunk.length();
                if (requestBytes > route.maxRequestBytes()) {
                    request.handler(null);
                    fail(tooLarge(exchange, -1)); // settle first: the reset below must not read as a provider failure
                    upstream.reset();
                    return;
                }
                digest(requestDigest, chunk);
                upstream.write(chunk);
                if (upstream.writeQueueFull()) {
                    request.pause();
                    upstream.drainHandler(v -> request.resume());
                }
            });
            request.endHandler(v -> {
                requestEnded = true;
                exchange.requestBody(requestBytes, HexFormat.of().formatHex(requestDigest.digest()));
                upstream.end();
            });
            if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
                response.writeContinue();
            }
            request.resume();
        }

        private void onResponse(HttpClientResponse upstream) {
            if (settled) {
                if (pipelined) {
                    drop(upstream);
                } else {
                    upstream.request().reset();
                }
                return;
            }
            breaker.onSuccess();
            providerMeters.answered(upstream.statusCode(), System.nanoTime() - sentNanos);
            // The timer stays armed: from now on it watches that the body keeps coming (onTimer).
            responseStarted = true;
            upstreamResponse = upstream;
            lastChunkNanos = System.nanoTime();
            response.setStatusCode(upstream.statusCode());
            if (upstream.statusMessage() != null) {
                response.setStatusMessage(upstream.statusMessage());
            }
            MultiMap in = upstream.headers();
            Set<String> named = HopByHop.namedIn(in);
            MultiMap out = response.headers();
            for (Map.Entry<String, String> header : in) {
                String name = header.getKey().toLowerCase(Locale.ROOT);
                if (HopByHop.is(name) || named.contains(name) || name.equals("x-request-id")) {
                    continue;
                }
                out.add(header.getKey(), header.getValue());
            }
            int status = upstream.statusCode();
            boolean bodyless = request.method() == HttpMethod.HEAD || status == 204 || status == 304 || status < 200;
            out.set(RequestIds.HEADER, exchange.requestId());
            String from = BodyConverter.formatOf(in.get("Content-Type"));
            String wanted = BodyConverter.acceptedFormat(request.getHeader("Accept"));
            if (!bodyless && route.conversion().enabled() && from != null && from.equals(route.conversion().responseFormat())
                    && wanted != null && !wanted.equals(from)) {
                convertResponse(upstream, from, wanted);
                return;
            }
            if (!bodyless && in.get("Content-Length") == null) {
                response.setChunked(true);
            }
            MessageDigest digest = sha256();
            upstream.handler(chunk -> {
                streamedBytes += chunk.length();
                lastChunkNanos = System.nanoTime();
                digest(digest, chunk);
                response.write(chunk);
                if (response.writeQueueFull()) {
                    // A slow caller, not a stalled provider: the timer does not count this pause against it.
                    pausedForCaller = true;
                    upstream.pause();
                    response.drainHandler(v -> {
                        pausedForCaller = false;
                        lastChunkNanos = System.nanoTime();
                        upstream.resume();
                    });
                }
            });
            upstream.exceptionHandler(t -> abortMidBody("upstream-reset", new ProblemException(ProblemType.BAD_GATEWAY,
                    "The provider of " + exchange.serviceCode() + " " + exchange.version() + " broke off its answer")));
            upstream.endHandler(v -> {
                exchange.upstreamEnded();
                exchange.responseBody(streamedBytes, HexFormat.of().formatHex(digest.digest()));
                response.end();
                settle(null);
            });
        }

        /**
         * The caller asked for the other format: the provider's answer is read whole (bounded), converted and sent
         * with its own length. Audit hashes the body as the provider sent it.
         */
        private void convertResponse(HttpClientResponse upstream, String from, String to) {
            long limit = config.upstream().maxConvertBytes();
            MessageDigest digest = sha256();
            Buffer body = Buffer.buffer();
            upstream.handler(chunk -> {
                if ((long) body.length() + chunk.length() > limit) {
                    upstream.handler(null);
                    upstream.endHandler(null);
                    upstream.request().reset();
                    exchange.upstreamEnded();
                    exchange.responseBody(body.length() + chunk.length(), null);
                    failConverted("the provider's answer exceeds the " + limit + " bytes the gateway converts");
                    return;
                }
                lastChunkNanos = System.nanoTime();
                streamedBytes += chunk.length();
                digest(digest, chunk);
                body.appendBuffer(chunk);
            });
            // nothing reaches the caller before the whole answer is converted: it gets the problem
            upstream.exceptionHandler(t -> abortMidBody("upstream-reset", convertedFailure("the provider's answer broke off")));
            upstream.endHandler(v -> {
                exchange.upstreamEnded();
                exchange.responseBody(body.length(), HexFormat.of().formatHex(digest.digest()));
                byte[] converted;
                try {
                    converted = BodyConverter.convert(body.getBytes(), from, to, "response");
                } catch (IllegalArgumentException e) {
                    failConverted("the provider's answer could not be converted to " + to + ": " + e.getMessage());
                    return;
                }
                MultiMap out = response.headers();
                // the representation changed: validators and digests of the provider's body no longer apply
                out.remove("ETag").remove("Content-Digest").remove("Repr-Digest").remove("Content-MD5");
                out.set("Content-Type", BodyConverter.mediaType(to) + ";charset=UTF-8");
                out.set("Content-Length", Integer.toString(converted.length));
                out.remove("Transfer-Encoding");
                response.end(Buffer.buffer(converted));
                settle(null);
            });
        }

        private void failConverted(String why) {
            replaceAnswer(convertedFailure(why));
        }

        private ProblemException convertedFailure(String why) {
            return new ProblemException(ProblemType.BAD_GATEWAY, "The provider of " + exchange.serviceCode() + " "
                    + exchange.version() + " answered, but " + why);
        }

        /** Nothing was written to the caller yet: the gateway's problem replaces the provider's status and headers. */
        private void replaceAnswer(ProblemException problem) {
            String requestId = response.headers().get(RequestIds.HEADER);
            response.headers().clear();
            response.setChunked(false);
            if (requestId != null) {
                response.headers().set(RequestIds.HEADER, requestId);
            }
            settle(problem);
        }

        /**
         * The provider's answer broke off or stalled. Once its head has gone to the caller (with the first chunk),
         * the caller can only learn of it from a broken connection, and the record says what happened; before
         * that, the caller still gets a problem.
         */
        private void abortMidBody(String errorType, ProblemException ifHeadNotSent) {
            if (settled) {
                return;
            }
            exchange.upstreamEnded();
            exchange.responseBody(streamedBytes, null);
            exchange.errorType(errorType);
            breaker.onFailure();
            if (!response.headWritten()) {
                replaceAnswer(ifHeadNotSent);
                return;
            }
            response.reset();
            settle(null);
        }

        /**
         * The caller left: on a pipelined connection other callers' requests follow this one, and closing it would
         * fail them all (and count against the provider's circuit), so the answer is read and dropped; otherwise the
         * request is reset, closing its connection, as the provider's work for nobody should stop.
         */
        private void abandonUpstream() {
            if (pipelined) {
                if (upstreamResponse != null) {
                    drop(upstreamResponse);
                }
                // not answered yet: onResponse drops the answer when it comes
                return;
            }
            if (upstreamRequest != null) {
                upstreamRequest.reset();
            }
        }

        private static void drop(HttpClientResponse answer) {
            answer.handler(null).exceptionHandler(t -> { }).endHandler(null);
            answer.resume();
        }

        private void onTimer(long attempt) {
            if (settled || attempt != attempts) {
                return;
            }
            if (!responseStarted) {
                onTimeout();
                return;
            }
            long idleMs = (System.nanoTime() - lastChunkNanos) / 1_000_000;
            if (pausedForCaller || idleMs < route.timeoutMs()) {
                timer = vertx.setTimer(Math.max(1, route.timeoutMs() - (pausedForCaller ? 0 : idleMs)), id -> onTimer(attempt));
                return;
            }
            // The provider started its answer, then sent nothing for the version's whole timeout.
            upstreamResponse.handler(null).exceptionHandler(null).endHandler(null);
            upstreamResponse.request().reset();
            abortMidBody("upstream-stalled", new ProblemException(ProblemType.GATEWAY_TIMEOUT, "The provider of "
                    + exchange.serviceCode() + " " + exchange.version() + " started its answer, then sent nothing for "
                    + route.timeoutMs() + " ms"));
        }

        private void onTimeout() {
            breaker.onFailure();
            providerMeters.timedOut(System.nanoTime() - (sentNanos != 0 ? sentNanos : attemptNanos));
            request.handler(null);
            fail(new ProblemException(ProblemType.GATEWAY_TIMEOUT, "The provider of " + exchange.serviceCode() + " "
                    + exchange.version() + " did not answer within " + route.timeoutMs() + " ms"));
            if (upstreamRequest != null) {
                upstreamRequest.reset();
            }
        }

        private void onTransportFailure(Throwable cause) {
            vertx.cancelTimer(timer);
            if (settled) {
                return;
            }
            // A pipelined request whose connection closed may have been behind another caller's timed-out request
            // (the gateway closes a connection stuck behind a slow answer): retried, not counted against the provider.
            boolean closedUnderIt = pipelined && cause instanceof io.vertx.core.http.HttpClosedException;
            if (!closedUnderIt) {
                breaker.onFailure();
            }
            providerMeters.failed(System.nanoTime() - (sentNanos != 0 ? sentNanos : attemptNanos));
            if (attempts == 1 && IDEMPOTENT.contains(request.method()) && requestBytes == 0 && !responseStarted
                    && remainingMs() >= MIN_RETRY_MS && breaker.tryAcquire()) {
                attempt();
                return;
            }
            String reason = cause instanceof ConnectException ? "connection refused"
                    : cause instanceof io.vertx.core.http.HttpClosedException ? "connection closed by the provider"
                    : cause instanceof io.vertx.core.http.StreamResetException ? "stream reset by the provider"
                    : tlsFailure(cause) ? "TLS handshake failed: the provider's certificate is not trusted, or it refused the gateway's"
                    : "connection failed";
            fail(new ProblemException(ProblemType.BAD_GATEWAY, "The provider of " + exchange.serviceCode() + " "
                    + exchange.version() + " could not be reached (" + reason + ")"));
        }

        /** What is left of the version's timeout for this call (the retry gets only the rest, never a fresh one). */
        private long remainingMs() {
            return route.timeoutMs() - (System.nanoTime() - startNanos) / 1_000_000;
        }

        private void fail(ProblemException problem) {
            if (settled) {
                return;
            }
            vertx.cancelTimer(timer);
            exchange.upstreamEnded();
            if (!requestEnded && hasBody) {
                exchange.requestBody(requestBytes, null);
            }
            settle(problem);
        }

        private void settle(ProblemException problem) {
            if (settled) {
                return;
            }
            settled = true;
            vertx.cancelTimer(timer);
            if (problem == null) {
                done.tryComplete();
            } else {
                done.tryFail(problem);
            }
        }
    }

    /** A TLS handshake failure anywhere in the cause chain (untrusted certificate, wrong host, refused client certificate). */
    static boolean tlsFailure(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("deprecation")
    private static void digest(MessageDigest digest, Buffer chunk) {
        digest.update(chunk.getByteBuf().nioBuffer());
    }
}
