package vn.lgsp.routing.proxy;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static vn.lgsp.routing.support.Gateway.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.lgsp.routing.support.RoutingTestResource;
import vn.lgsp.routing.support.TlsUpstream;
import vn.lgsp.routing.support.Tokens;

/**
 * https providers through the named TLS configuration (lgsp.routing.upstream.tls-configuration-name, set by
 * RoutingTestResource): a provider certified by the configured CA is reached and shown the gateway's client
 * certificate; one the configuration does not trust is refused with 502; a client certificate renewed on disk is
 * shown on new connections without a restart (quarkus.tls.upstream.reload-period).
 */
@QuarkusTest
@QuarkusTestResource(RoutingTestResource.class)
class UpstreamTlsTest {

    private static TlsUpstream provider;
    private static TlsUpstream stranger;

    @BeforeAll
    static void providers() throws Exception {
        provider = new TlsUpstream("provider");
        stranger = new TlsUpstream("stranger");
        var platform = RoutingTestResource.platform();
        platform.change("route", RoutingTestResource.route("tls", "v1", "published", provider.baseUrl()));
        platform.change("route", RoutingTestResource.route("tls-la", "v1", "published", stranger.baseUrl()));
        for (String code : new String[] { "tls", "tls-la" }) {
            platform.change("subscription", RoutingTestResource.sub(RoutingTestResource.CONSUMER, code, "v1",
                    "production", null, null, null));
        }
    }

    @AfterAll
    static void close() {
        provider.close();
        stranger.close();
    }

    private static Response call(String code) {
        return gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).get("/" + code + "/v1/dich-vu");
    }

    /** The first answer that is not the 404 of a route not yet received from the change feed. */
    private static Response callOnceRouted(String code) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 5000;
        Response r = call(code);
        while (r.statusCode() == 404 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
            r = call(code);
        }
        return r;
    }

    @Test
    void aProviderCertifiedByTheConfiguredCaIsReachedAndShownTheGatewaysClientCertificate() throws Exception {
        callOnceRouted("tls").then().statusCode(200).body("tls", equalTo(true))
                .body("clientCertificateSha256", equalTo(TlsUpstream.sha256(RoutingTestResource.GATEWAY_CLIENT_CERT)));
    }

    @Test
    void aProviderWhoseCertificateIsNotTrustedIsRefusedWith502() throws Exception {
        callOnceRouted("tls-la").then().statusCode(502).contentType("application/problem+json")
                .body("type", equalTo("urn:lgsp:problem:bad-gateway"))
                .body("detail", containsString("TLS handshake failed"));
    }

    @Test
    void aClientCertificateRenewedOnDiskIsShownOnNewConnectionsWithoutARestart() throws Exception {
        Path dir = RoutingTestResource.TLS;
        String original = TlsUpstream.sha256(RoutingTestResource.GATEWAY_CLIENT_CERT);
        String renewed = TlsUpstream.sha256(dir.resolve("rotated-client.crt"));
        callOnceRouted("tls").then().statusCode(200).body("clientCertificateSha256", equalTo(original));
        try {
            install(dir.resolve("rotated-client.crt"), dir.resolve("rotated-client.key"));
            assertEquals(renewed, awaitClientCertificate(renewed), "the renewed certificate, re-read within seconds");
        } finally {
            install(dir.resolve("provider-client.crt"), dir.resolve("provider-client.key"));
            assertEquals(original, awaitClientCertificate(original), "back to the original for the other tests");
        }
    }

    /** As a renewed Kubernetes Secret appears: the key first, then the certificate, each replaced atomically. */
    private static void install(Path cert, Path key) throws Exception {
        for (Path[] pair : new Path[][] { { key, RoutingTestResource.GATEWAY_CLIENT_KEY },
                { cert, RoutingTestResource.GATEWAY_CLIENT_CERT } }) {
            Path tmp = pair[1].resolveSibling(pair[1].getFileName() + ".new");
            Files.copy(pair[0], tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, pair[1], StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** Calls (each on a new provider connection) until the provider reports {@code expected}, for up to 10 s. */
    private static String awaitClientCertificate(String expected) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        String seen = null;
        while (System.currentTimeMillis() < deadline) {
            Response r = call("tls");
            seen = r.statusCode() == 200 ? r.jsonPath().getString("clientCertificateSha256") : "HTTP " + r.statusCode();
            if (expected.equals(seen)) {
                return seen;
            }
            Thread.sleep(100);
        }
        return seen;
    }
}
