package vn.lgsp.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A provider's upstream API for tests, the local run and benchmarks: a real HTTP server on loopback.
 * <ul>
 * <li>{@code /status/{code}} answers with that status;</li>
 * <li>{@code /delay/{millis}} answers after that delay (to provoke gateway timeouts); how many such requests
 * waited at once is kept per path ({@link #mostConcurrentDelayed(String)}: a gateway's connection cap shows
 * there; {@code /delay/300/anything} delays 300 ms too);</li>
 * <li>{@code /stall/{millis}} starts a chunked answer at once, then sends nothing more for that long before
 * finishing it (a provider that stalls mid-body);</li>
 * <li>{@code /hangup/{millis}} takes the request, then closes the connection after that long without answering (a
 * provider that dies or drops connections mid-request);</li>
 * <li>{@code /drip/{chunks}} sends that many chunks of {@code "chunk;"}, one every 200 ms (a slow but steady
 * provider);</li>
 * <li>{@code /xml/…} answers 200 in XML, as a SOAP-era provider would: the Content-Type it received, the body
 * it received (as text) and a repeated element;</li>
 * <li>anything else answers 200 with JSON describing what arrived: method, path, query, body size and
 * SHA-256, and the headers a provider cares about (request id, trace context, gateway assertion).</li>
 * </ul>
 * Every request's headers are recorded so tests can check what the gateway forwarded.
 */
public final class StubUpstream implements AutoCloseable {

    /** Headers echoed back, so a caller can see what the gateway added or stripped. */
    private static final List<String> ECHOED = List.of("x-request-id", "traceparent", "x-lgsp-gateway-assertion",
            "authorization", "signature", "signature-input", "content-type", "x-forwarded-for");

    private final Vertx vertx;
    private final boolean ownVertx;
    /** The most recent requests kept for inspection; bounded so a benchmark can run for hours. */
    private static final int RECEIVED_KEPT = 10_000;

    private final HttpServer server;
    private final List<HttpServer> extraServers = new java.util.ArrayList<>();
    private final java.util.ArrayDeque<Map<String, String>> received = new java.util.ArrayDeque<>();
    /** Per {@code /delay/…} path: requests waiting now, and the most at once since the last reset. */
    private final java.util.concurrent.ConcurrentHashMap<String, java.util.concurrent.atomic.AtomicInteger[]> delaying =
            new java.util.concurrent.ConcurrentHashMap<>();

    private StubUpstream(Vertx vertx, boolean ownVertx, int port) {
        this.vertx = vertx;
        this.ownVertx = ownVertx;
        this.server = vertx.createHttpServer().requestHandler(this::handle);
        try {
            server.listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            // On a fixed port (the local run and the benchmark): one server per core on that port (Vert.x spreads
            // connections over their event loops), so the stub is not the bottleneck the benchmark compares against.
            // A random port (tests) cannot be shared that way, and one event loop is plenty there.
            for (int i = 1; port > 0 && i < Runtime.getRuntime().availableProcessors(); i++) {
                HttpServer extra = vertx.createHttpServer().requestHandler(this::handle);
                extra.listen(server.actualPort(), "127.0.0.1").toCompletionStage().toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
                extraServers.add(extra);
            }
        } catch (Exception e) {
            throw new IllegalStateException("Stub upstream could not listen on port " + port, e);
        }
    }

    /** Starts on a free port with its own Vert.x. */
    public static StubUpstream start() {
        return start(0);
    }

    public static StubUpstream start(int port) {
        return new StubUpstream(Vertx.vertx(), true, port);
    }

    public int port() {
        return server.actualPort();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    /** Headers of the requests received so far (lower-case names, the latest 10,000), oldest first. */
    public List<Map<String, String>> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    public void clear() {
        synchronized (received) {
            received.clear();
        }
    }

    /**
     * The most requests to this {@code /delay/…} path waiting at the same time since {@link #resetConcurrency(String)}
     * (per path, so calls other tests left waiting do not count).
     */
    public int mostConcurrentDelayed(String path) {
        return counters(path)[1].get();
    }

    public void resetConcurrency(String path) {
        java.util.concurrent.atomic.AtomicInteger[] c = counters(path);
        c[1].set(c[0].get());
    }

    private java.util.concurrent.atomic.AtomicInteger[] counters(String path) {
        return delaying.computeIfAbsent(path, k -> new java.util.concurrent.atomic.AtomicInteger[] {
                new java.util.concurrent.atomic.AtomicInteger(), new java.util.concurrent.atomic.AtomicInteger() });
    }

    private void handle(HttpServerRequest req) {
        Map<String, String> headers = new java.util.TreeMap<>();
        req.headers().forEach(h -> headers.put(h.getKey().toLowerCase(java.util.Locale.ROOT), h.getValue()));
        headers.put(":method", req.method().name());
        headers.put(":path", req.path());
        synchronized (received) {
            received.addLast(headers);
            if (received.size() > RECEIVED_KEPT) {
                received.removeFirst();
            }
        }
        req.body().onComplete(ar -> {
            byte[] body = ar.succeeded() ? ar.result().getBytes() : new byte[0];
            String path = req.path();
            if (path.startsWith("/status/")) {
                int status = parse(path.substring("/status/".length()), 200);
                req.response().setStatusCode(status).putHeader("content-type", "application/json")
                        .end(new JsonObject().put("status", status).encode());
                return;
            }
            if (path.startsWith("/delay/")) {
                long millis = Math.max(1, parse(path.substring("/delay/".length()), 0));
                java.util.concurrent.atomic.AtomicInteger[] c = counters(path);
                c[1].accumulateAndGet(c[0].incrementAndGet(), Math::max);
                vertx.setTimer(millis, t -> {
                    c[0].decrementAndGet();
                    respond(req, headers, body);
                });
                return;
            }
            if (path.startsWith("/stall/")) {
                long millis = Math.max(1, parse(path.substring("/stall/".length()), 0));
                req.response().setChunked(true).putHeader("content-type", "text/plain").write("first part;");
                vertx.setTimer(millis, t -> {
                    if (!req.response().closed()) {
                        req.response().end("rest");
                    }
                });
                return;
            }
            if (path.startsWith("/hangup/")) {
                long millis = Math.max(1, parse(path.substring("/hangup/".length()), 0));
                vertx.setTimer(millis, t -> req.connection().close());
                return;
            }
            if (path.startsWith("/drip/")) {
                int chunks = Math.max(1, parse(path.substring("/drip/".length()), 1));
                req.response().setChunked(true).putHeader("content-type", "text/plain");
                int[] sent = {0};
                vertx.setPeriodic(200, id -> {
                    if (req.response().closed()) {
                        vertx.cancelTimer(id);
                    } else if (++sent[0] < chunks) {
                        req.response().write("chunk;");
                    } else {
                        vertx.cancelTimer(id);
                        req.response().end("chunk;");
                    }
                });
                return;
            }
            if (path.startsWith("/xml/")) {
                String xml = "<answer><provider>lgsp-stub-upstream</provider><contentType>"
                        + escape(headers.getOrDefault("content-type", "")) + "</contentType><body>"
                        + escape(new String(body, java.nio.charset.StandardCharsets.UTF_8))
                        + "</body><item>1</item><item>2</item></answer>";
                req.response().putHeader("content-type", "application/xml; charset=UTF-8").end(xml);
                return;
            }
            respond(req, headers, body);
        });
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private void respond(HttpServerRequest req, Map<String, String> headers, byte[] body) {
        JsonObject echoed = new JsonObject();
        for (String name : ECHOED) {
            if (headers.containsKey(name)) {
                echoed.put(name, headers.get(name));
            }
        }
        JsonObject answer = new JsonObject()
                .put("provider", "lgsp-stub-upstream")
                .put("method", req.method().name())
                .put("path", req.path())
                .put("query", req.query())
                .put("bodyBytes", body.length)
                .put("bodySha256", sha256(body))
                .put("headers", echoed);
        if (!req.response().closed()) {
            req.response().putHeader("content-type", "application/json").end(answer.encode());
        }
    }

    private static int parse(String s, int fallback) {
        try {
            return Integer.parseInt(s.replaceAll("/.*", ""));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        try {
            for (HttpServer extra : extraServers) {
                extra.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            }
            server.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            if (ownVertx) {
                vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            // closing is best effort in tests
        }
    }

    /** Runs the stub on its own: {@code java ... vn.lgsp.testing.StubUpstream [port]}. */
    public static void main(String[] args) throws InterruptedException {
        StubUpstream stub = start(args.length > 0 ? Integer.parseInt(args[0]) : 9090);
        System.out.println("Stub upstream listening on " + stub.baseUrl());
        Thread.currentThread().join();
    }
}
