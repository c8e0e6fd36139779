package vn.lgsp.routing.identity;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import java.util.List;
import vn.lgsp.common.httpsig.SignedMessage;

/**
 * The request as the client addressed it, for RFC 9421. Scheme and authority come from the Vert.x request:
 * Quarkus rewrites them from Forwarded / X-Forwarded-* only when
 * {@code quarkus.http.proxy.proxy-address-forwarding} (and the allow-* switches) are on, so behind a TLS
 * terminator the operator turns that on, and otherwise a caller cannot choose what authority is checked.
 * Path and query are the raw, still percent-encoded forms the client sent.
 */
final class VertxSignedMessage implements SignedMessage {

    private final HttpServerRequest request;

    VertxSignedMessage(HttpServerRequest request) {
        this.request = request;
    }

    @Override
    public String method() {
        return request.method().name();
    }

    @Override
    public String scheme() {
        String scheme = request.scheme();
        return scheme == null ? (request.isSSL() ? "https" : "http") : scheme;
    }

    @Override
    public String authority() {
        HostAndPort authority = request.authority();
        if (authority == null) {
            String host = request.getHeader("Host");
            return host == null ? "" : host;
        }
        int port = authority.port();
        boolean defaultPort = port < 0 || ("https".equalsIgnoreCase(scheme()) ? port == 443 : port == 80);
        return defaultPort ? authority.host() : authority.host() + ":" + port;
    }

    @Override
    public String path() {
        String path = request.path();
        return path == null || path.isEmpty() ? "/" : path;
    }

    @Override
    public String query() {
        return request.query();
    }

    @Override
    public List<String> header(String name) {
        return request.headers().getAll(name);
    }
}
