package vn.lgsp.auth;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import vn.lgsp.testing.PlatformTestResource;

/**
 * The platform test resource plus a stand-in for catalog's subscription list, on a real HTTP server, so the
 * scope claim is read over HTTP exactly as in production. System {@code CATALOG-DOWN} makes catalog fail.
 */
public class AuthTestResource extends PlatformTestResource {

    public static volatile String lastCatalogAuthorization;
    private static HttpServer catalog;

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(super.start());
        try {
            catalog = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        catalog.createContext("/api/v1/subscriptions", exchange -> {
            lastCatalogAuthorization = exchange.getRequestHeaders().getFirst("Authorization");
            Map<String, String> q = query(exchange.getRequestURI());
            String system = q.getOrDefault("consumerSystem", "");
            int status = 200;
            String body;
            if (system.equals("CATALOG-DOWN")) {
                status = 503;
                body = "{}";
            } else if (!"active".equals(q.get("status"))) {
                body = "{\"items\":[],\"page\":0,\"size\":200,\"total\":0}";
            } else if ("production".equals(q.get("environment"))) {
                body = """
                        {"items":[{"serviceCode":"dat-dai","version":"v2","consumerSystem":"%1$s"},
                                  {"serviceCode":"dan-cu","version":"v1","consumerSystem":"%1$s"}],
                         "page":0,"size":200,"total":2}""".formatted(system);
            } else {
                body = "{\"items\":[{\"serviceCode\":\"ho-tich\",\"version\":\"v1\"}],\"page\":0,\"size\":200,\"total\":1}";
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        catalog.start();
        config.put("lgsp.platform.catalog-url", "http://127.0.0.1:" + catalog.getAddress().getPort());
        config.put("lgsp.auth.scope-from-catalog", "true");
        // Single sign-on: the province's provider found by discovery, the national one by its JWKS address and
        // naming people by preferred_username, and one that is never up.
        TestIdentityProvider.start();
        config.put("lgsp.auth.identity-providers.tinh.issuer", TestIdentityProvider.PROVINCE.issuer());
        config.put("lgsp.auth.identity-providers.tinh.audience", TestIdentityProvider.AUDIENCE);
        config.put("lgsp.auth.identity-providers.tinh.keys-refresh-min-interval", "0s");
        config.put("lgsp.auth.identity-providers.vneid.issuer", TestIdentityProvider.NATIONAL.issuer());
        config.put("lgsp.auth.identity-providers.vneid.audience", TestIdentityProvider.AUDIENCE);
        config.put("lgsp.auth.identity-providers.vneid.jwks-uri", TestIdentityProvider.NATIONAL.jwksUri());
        config.put("lgsp.auth.identity-providers.vneid.subject-claim", "preferred_username");
        config.put("lgsp.auth.identity-providers.vneid.max-token-age", "2m");
        config.put("lgsp.auth.identity-providers.vneid.keys-refresh-min-interval", "0s");
        config.put("lgsp.auth.identity-providers.offline.issuer", "http://127.0.0.1:1/offline");
        config.put("lgsp.auth.identity-providers.offline.audience", TestIdentityProvider.AUDIENCE);
        config.put("lgsp.auth.identity-providers.offline.timeout", "1s");
        return config;
    }

    @Override
    public void stop() {
        if (catalog != null) {
            catalog.stop(0);
        }
        TestIdentityProvider.stop();
        super.stop();
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new HashMap<>();
        if (uri.getRawQuery() == null) {
            return out;
        }
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
