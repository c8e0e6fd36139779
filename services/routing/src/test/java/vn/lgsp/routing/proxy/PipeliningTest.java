package vn.lgsp.routing.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.lgsp.routing.support.Gateway;
import vn.lgsp.routing.support.RoutingTestResource;
import vn.lgsp.routing.support.StubPlatform;
import vn.lgsp.routing.support.Tokens;

/**
 * A version whose provider declared HTTP/1.1 pipelining (catalog {@code pipelining}): concurrent GETs share
 * connections, a request sent before the previous answer, and each caller still gets its own answer; POSTs never
 * go ahead of an answer. The provider is a raw socket server that sees exactly what arrives on each connection.
 */
@QuarkusTest
@QuarkusTestResource(RoutingTestResource.class)
class PipeliningTest {

    private static final String SERVICE = "noi-tiep";
    private static RawUpstream upstream;
    /** Per event loop: 4 connections, 2 of them for the pipelined GETs (UpstreamClients.shape). */
    private static int loops;

    @BeforeAll
    static void start() throws Exception {
        upstream = new RawUpstream();
        loops = io.quarkus.arc.Arc.container().instance(UpstreamClients.class).get().eventLoops();
        StubPlatform platform = RoutingTestResource.platform();
        platform.change("route", RoutingTestResource.route(SERVICE, "v1", "published", upstream.url())
                .put("maxConnections", 4 * loops).put("pipelining", 4));
        platform.change("subscription", RoutingTestResource.sub(RoutingTestResource.CONSUMER, SERVICE, "v1",
                "production", null, null, null));
        // v2: the same provider with a short timeout and pools of its own (the circuit is the provider's, shared)
        platform.change("route", RoutingTestResource.route(SERVICE, "v2", "published", upstream.url())
                .put("maxConnections", 4 * loops).put("pipelining", 4).put("timeoutMs", 1500));
        platform.change("subscription", RoutingTestResource.sub(RoutingTestResource.CONSUMER, SERVICE, "v2",
                "production", null, null, null));
        long deadline = System.currentTimeMillis() + 5000;
        while ((send("GET", "/warm").statusCode() != 200 || send("GET", "/warm", "v2").statusCode() != 200)
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
    }

    @AfterAll
    static void stop() throws IOException {
        upstream.close();
    }

    private static HttpResponse<String> send(String method, String id) throws Exception {
        return send(method, id, "v1");
    }

    private static HttpResponse<String> send(String method, String id, String version) throws Exception {
        return client().send(request(method, id, version), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    private static HttpRequest request(String method, String id) {
        return request(method, id, "v1");
    }

    private static HttpRequest request(String method, String id, String version) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + Gateway.port() + "/" + SERVICE + "/" + version + id))
                .header("Authorization", Tokens.bearer(Tokens.consumer()))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
    }

    /** Sends {@code n} requests at once, each on a connection of its own, and checks each got its own answer. */
    private static void concurrently(String method, int n) throws Exception {
        concurrently(method, n, "v1");
    }

    private static void concurrently(String method, int n, String version) throws Exception {
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            answers.add(client().sendAsync(request(method, "/item-" + i, version), HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < n; i++) {
            HttpResponse<String> r = answers.get(i).get();
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(method + " /item-" + i, r.body(), "each caller gets the answer to its own request");
        }
    }

    @Test
    void safeRequestsShareConnectionsAndOthersWaitForTheirAnswer() throws Exception {
        upstream.reset();
        concurrently("POST", 6 * loops);
        assertFalse(upstream.pipelined.get(), "a POST is never sent before the previous answer");

        upstream.reset();
        concurrently("GET", 12 * loops);
        assertTrue(upstream.pipelined.get(), "GETs are sent ahead of earlier answers on one connection");
        assertTrue(upstream.mostBusy.get() <= 2 * loops, "at most half the version's cap carries the pipelined GETs: "
                + upstream.mostBusy.get() + " connections at once");

        io.restassured.response.ValidatableResponse status = io.restassured.RestAssured.given()
                .header("Authorization", "Bearer " + vn.lgsp.testing.TestJwt.operator()).get("/api/v1/routing/status")
                .then().statusCode(200);
        assertEquals(4, status.extract().<Integer>path("upstreamPools.pipelining.'" + SERVICE + "/v1'"),
                "the status shows the depth of the version's GET lane");
        assertEquals(4, status.extract().<Integer>path("upstreamPools.connectionsPerEventLoop.'" + SERVICE + "/v1'"));
    }

    @Test
    void aProviderClosingConnectionsAtItsKeepAliveLimitCostsNoCallerItsAnswer() throws Exception {
        // As nginx' keepalive_requests or Tomcat's maxKeepAliveRequests do: the second answer on a connection says
        // Connection: close and the connection ends, whatever was pipelined behind it. Those requests are retried
        // on a one-at-a-time connection, where no other request's fate can take them down again.
        upstream.reset();
        upstream.keepAliveLimit = 2;
        try {
            concurrently("GET", 12 * loops);
        } finally {
            upstream.keepAliveLimit = 0;
        }
        assertTrue(upstream.unanswered.get() > 0, "requests were pipelined behind a closing answer");
    }

    @Test
    void aRequestTimingOutOnASharedConnectionReleasesTheOnesBehindIt() throws Exception {
        // The provider never answers /hang, nor anything sent after it on that connection. Its caller gets 504 at
        // the version's 1.5 s timeout; the gateway then closes that connection, and the requests sent behind it
        // 800 ms later are retried elsewhere within their own time left (~800 ms, room for a slow CI box): each
        // gets its answer.
        upstream.reset();
        CompletableFuture<HttpResponse<String>> hung = client().sendAsync(request("GET", "/hang", "v2"),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(800);
        concurrently("GET", 8 * loops, "v2");
        HttpResponse<String> timedOut = hung.get();
        assertEquals(504, timedOut.statusCode(), timedOut.body());
        assertTrue(timedOut.body().contains("gateway-timeout"), timedOut.body());
        assertTrue(upstream.behindHang.get() > 0, "requests were pipelined behind the one the provider never answered");
    }

    /**
     * An HTTP/1.1 server that answers bodiless requests in order, each after 30 ms, and notes whether another
     * request had already arrived on the connection when it answered one. With a keep-alive limit, the answer that
     * reaches it says Connection: close and the connection ends; a request for {@code /hang} is never answered,
     * nor any request after it on its connection.
     */
    static final class RawUpstream implements AutoCloseable {
        final AtomicBoolean pipelined = new AtomicBoolean();
        /** Connections with a request read and not yet answered (or more waiting), and the most at once since reset. */
        final AtomicInteger busy = new AtomicInteger();
        final AtomicInteger mostBusy = new AtomicInteger();
        /** Requests already sent when a connection closed at its keep-alive limit, so never answered there. */
        final AtomicInteger unanswered = new AtomicInteger();
        /** Requests that arrived behind an unanswered /hang. */
        final AtomicInteger behindHang = new AtomicInteger();
        /** Answers per connection, the last one saying Connection: close (0: unlimited). */
        volatile int keepAliveLimit;
        private final ServerSocket server;

        RawUpstream() throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(this::accept, "raw-upstream");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort();
        }

        void reset() {
            pipelined.set(false);
            mostBusy.set(busy.get());
            unanswered.set(0);
            behindHang.set(0);
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread t = new Thread(() -> serve(s), "raw-upstream-connection");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(Socket socket) {
            boolean working = false;
            try (socket; InputStream in = new BufferedInputStream(socket.getInputStream());
                    OutputStream out = socket.getOutputStream()) {
                String head;
                int answered = 0;
                boolean hanging = false;
                while ((head = readHead(in)) != null) {
                    String[] line = head.split("\r\n", 2)[0].split(" ");
                    skipBody(in, head);
                    if (!working && !(line[0].equals("HEAD") && line[1].equals("/"))) {
                        // the gateway's health probe (HEAD /, a connection of its own) is not a caller's request
                        working = true;
                        mostBusy.accumulateAndGet(busy.incrementAndGet(), Math::max);
                    }
                    if (hanging) {
                        behindHang.incrementAndGet();
                        continue;
                    }
                    if (line[1].endsWith("/hang")) {
                        hanging = true;
                        continue;
                    }
                    Thread.sleep(30);
                    if (in.available() > 0) {
                        pipelined.set(true);
                    }
                    String path = line[1].substring(line[1].indexOf("/item") >= 0 ? line[1].indexOf("/item")
                            : line[1].lastIndexOf('/'));
                    byte[] body = (line[0] + " " + path).getBytes(StandardCharsets.UTF_8);
                    int limit = keepAliveLimit;
                    boolean last = limit > 0 && ++answered >= limit;
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                            + (last ? "\r\nConnection: close" : "") + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    if (!line[0].equals("HEAD")) {
                        out.write(body);
                    }
                    out.flush();
                    if (last) {
                        // As servers close (nginx' lingering close): output first, then read what was sent after
                        // the answer until the gateway closes too. Closing with unread input would send an RST that
                        // can destroy the answer just written before the gateway reads it.
                        socket.shutdownOutput();
                        socket.setSoTimeout(2000);
                        if (in.read() != -1) {
                            unanswered.incrementAndGet();
                            while (in.read() != -1) {
                                // drained
                            }
                        }
                        return;
                    }
                    if (working && in.available() == 0) {
                        working = false;
                        busy.decrementAndGet();
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the gateway closed the connection
            } finally {
                if (working) {
                    busy.decrementAndGet();
                }
            }
        }

        private static String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) != -1) {
                head.write(b);
                int n = head.size();
                byte[] h = head.toByteArray();
                if (n >= 4 && h[n - 4] == '\r' && h[n - 3] == '\n' && h[n - 2] == '\r' && h[n - 1] == '\n') {
                    return head.toString(StandardCharsets.US_ASCII);
                }
            }
            return null;
        }

        private static void skipBody(InputStream in, String head) throws IOException {
            for (String h : head.split("\r\n")) {
                if (h.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    in.readNBytes(Integer.parseInt(h.substring(15).strip()));
                }
            }
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
