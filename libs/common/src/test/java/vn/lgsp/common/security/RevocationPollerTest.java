package vn.lgsp.common.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import vn.lgsp.common.client.PlatformConfig;
import vn.lgsp.common.client.ServiceTokens;

/** The poller against a real HTTP stand-in for auth: token, If-None-Match, 304, 401, failures keep the last list. */
class RevocationPollerTest {

    private HttpServer auth;
    private final AtomicInteger tokensIssued = new AtomicInteger();
    private final AtomicReference<String> feedBody = new AtomicReference<>();
    private final AtomicInteger feedStatus = new AtomicInteger(200);
    private final List<String> ifNoneMatch = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private RevokedTokens revoked;
    private RevocationPoller poller;

    @BeforeEach
    void start() throws Exception {
        auth = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        auth.createContext("/oauth2/token", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] body = ("{\"access_token\":\"t-" + tokensIssued.incrementAndGet() + "\",\"expires_in\":900}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        auth.createContext("/api/v1/feed/revocations", exchange -> {
            authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
            String inm = exchange.getRequestHeaders().getFirst("If-None-Match");
            ifNoneMatch.add(String.valueOf(inm));
            String body = feedBody.get();
            long revision = new ObjectMapper().readTree(body).path("revision").asLong();
            int status = feedStatus.get();
            if (status == 200 && ("\"" + revision + "\"").equals(inm)) {
                exchange.sendResponseHeaders(304, -1);
            } else if (status == 200) {
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("ETag", "\"" + revision + "\"");
                exchange.sendResponseHeaders(200, bytes.length);
                exchange.getResponseBody().write(bytes);
            } else {
                exchange.sendResponseHeaders(status, -1);
            }
            exchange.close();
        });
        auth.start();
        String url = "http://127.0.0.1:" + auth.getAddress().getPort();
        PlatformConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors().addDiscoveredConverters()
                .withMapping(PlatformConfig.class)
                .withSources(new PropertiesConfigSource(Map.of("lgsp.platform.auth-url", url,
                        "lgsp.platform.client-secret", "catalog-secret-0123456789abcdef",
                        "lgsp.platform.call-timeout", "2s"), "test", 300))
                .build().getConfigMapping(PlatformConfig.class);
        ObjectMapper mapper = new ObjectMapper();
        revoked = new RevokedTokens();
        poller = new RevocationPoller();
        poller.config = config;
        poller.revoked = revoked;
        poller.source = new HttpRevocationSource(config, new ServiceTokens(config, mapper, "catalog"), mapper);
    }

    @AfterEach
    void stop() {
        auth.stop(0);
    }

    private void poll() throws Exception {
        poller.refresh().get(10, TimeUnit.SECONDS);
    }

    @Test
    void readsTheFeedWithItsServiceTokenThenAsksOnlyWhetherItChanged() throws Exception {
        feedBody.set("""
                {"revision":4,"revokedClientIds":["ck_a"],"revokedTokenIds":["jti-1"],
                 "revokedSubjects":[{"subject":"alice","issuedAtOrBefore":1000}],"addedLater":true}""");
        poll();
        assertEquals(4, revoked.revision());
        assertTrue(revoked.isRevoked("jti-1", null, "bob", 1));
        assertTrue(revoked.isRevoked(null, null, "alice", 1000));
        assertEquals("Bearer t-1", authorizations.get(0));
        assertEquals("null", ifNoneMatch.get(0), "nothing known yet");

        poll();
        assertEquals("\"4\"", ifNoneMatch.get(1));
        assertEquals(4, revoked.revision(), "304: unchanged");

        feedBody.set("{\"revision\":5,\"revokedClientIds\":[],\"revokedTokenIds\":[],\"revokedSubjects\":[]}");
        poll();
        assertEquals(5, revoked.revision());
        assertFalse(revoked.isRevoked("jti-1", null, "alice", 1000));
        assertEquals(1, tokensIssued.get(), "the token is reused");
    }

    @Test
    void whenAuthFailsTheLastListStaysInForceAndA401FetchesANewToken() throws Exception {
        feedBody.set("{\"revision\":7,\"revokedClientIds\":[],\"revokedTokenIds\":[\"jti-9\"],\"revokedSubjects\":[]}");
        poll();
        var checked = revoked.checkedAt();
        assertNotNull(checked);

        feedStatus.set(503);
        poll();
        assertTrue(revoked.isRevoked("jti-9", null, "x", 1), "kept");
        assertEquals(checked, revoked.checkedAt(), "a failed poll is not a check: the age alert sees it");

        feedStatus.set(401);
        poll();
        feedStatus.set(200);
        poll();
        assertEquals(2, tokensIssued.get(), "after the 401 the next poll got a new token");
        assertEquals("Bearer t-2", authorizations.get(authorizations.size() - 1));
        assertTrue(revoked.checkedAt().isAfter(checked) || revoked.checkedAt().equals(checked));
    }

    @Test
    void unreadableJsonIsAFailedPollNotAnEmptyList() throws Exception {
        feedBody.set("{\"revision\":2,\"revokedClientIds\":[\"ck_z\"],\"revokedTokenIds\":[],\"revokedSubjects\":[]}");
        poll();
        feedBody.set("{\"revision\":3,\"revokedClientIds\":{\"not\":\"a list\"}}");
        poll();
        assertEquals(2, revoked.revision());
        assertTrue(revoked.isRevoked(null, "ck_z", "S", 1));
    }
}
