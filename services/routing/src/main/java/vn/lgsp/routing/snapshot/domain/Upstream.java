package vn.lgsp.routing.snapshot.domain;

import java.net.URI;

/** A provider's base URL, parsed once when the snapshot is built so the request path only concatenates. */
public record Upstream(String url, String host, int port, boolean ssl, String basePath) {

    /** The circuit breaker and health check key: one per scheme, host and port. */
    public String key() {
        return (ssl ? "https://" : "http://") + host + ":" + port;
    }

    public static Upstream parse(String url) {
        URI uri = URI.create(url);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("upstream URL must be http or https: " + url);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("upstream URL has no host: " + url);
        }
        boolean ssl = scheme.equals("https");
        int port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
        String base = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return new Upstream(url, uri.getHost(), port, ssl, base);
    }

    /** The request URI at the provider: its base path, the caller's rest path, the caller's query. */
    public String requestUri(String restPath, String query) {
        String path = base(restPath);
        return query == null || query.isEmpty() ? path : path + "?" + query;
    }

    private String base(String restPath) {
        if (restPath == null || restPath.isEmpty()) {
            return basePath.isEmpty() ? "/" : basePath;
        }
        return basePath + restPath;
    }
}
