package vn.lgsp.common.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The service's own client-credentials token against a real HTTP server: reused, and never left pending. */
class ServiceTokensTest {

    private static ServiceTokens tokens(String authUrl) {
        PlatformConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors().addDiscoveredConverters()
                .withMapping(PlatformConfig.class)
                .withSources(new PropertiesConfigSource(Map.of("lgsp.platform.auth-url", authUrl,
                        "lgsp.platform.client-secret", "routing-secret-0123456789abcdef",
                        "lgsp.platform.call-timeout", "300ms"), "test", 300))
                .build().getConfigMapping(PlatformConfig.class);
        return new ServiceTokens(config, new ObjectMapper(), "routing");
    }

    @Test
    void aTokenIsFetchedOnceAndReusedUntilItIsDueForRenewal() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        HttpServer auth = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        auth.createContext("/oauth2/token", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String basic = exchange.getRequestHeaders().getFirst("Authorization");
            byte[] body = ("{\"access_token\":\"t-" + calls.incrementAndGet() + "\",\"token_type\":\"Bearer\","
                    + "\"expires_in\":600}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(basic != null && basic.startsWith("Basic ") ? 200 : 401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        auth.start();
        try {
            ServiceTokens tokens = tokens("http://127.0.0.1:" + auth.getAddress().getPort());
            assertEquals("t-1", tokens.token().get(10, TimeUnit.SECONDS));
            assertEquals("t-1", tokens.token().get(10, TimeUnit.SECONDS));
            assertEquals(1, calls.get());
            tokens.invalidate();
            assertEquals("t-2", tokens.token().get(10, TimeUnit.SECONDS));
        } finally {
            auth.stop(0);
        }
    }

    /**
     * An auth that accepts the connection and never answers: the fetch fails (the feeds that share it log it and
     * retry) instead of staying pending, and the next call starts a new fetch rather than sharing the dead one.
     */
    @Test
    void anAuthThatNeverAnswersFailsTheFetchAndTheNextCallTriesAgain() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket silent = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                while (!silent.isClosed()) {
                    try {
                        held.add(silent.accept());
                        connections.incrementAndGet();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            ServiceTokens tokens = tokens("http://127.0.0.1:" + silent.getLocalPort());
            CompletableFuture<String> first = tokens.token();
            ExecutionException e = assertThrows(ExecutionException.class, () -> first.get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof java.util.concurrent.TimeoutException
                    || e.getCause() instanceof java.net.http.HttpTimeoutException, e.getCause().toString());
            CompletableFuture<String> second = tokens.token();
            assertNotSame(first, second);
            assertThrows(ExecutionException.class, () -> second.get(10, TimeUnit.SECONDS));
            assertTrue(connections.get() >= 1, "auth was called: " + connections.get());
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
