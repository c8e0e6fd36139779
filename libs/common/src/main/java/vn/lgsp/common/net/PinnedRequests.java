package vn.lgsp.common.net;

import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.URI;
import java.util.Map;

/**
 * Requests to a URL someone else chose, sent to the address {@link DestinationLookup} checked. Vert.x' client rather
 * than the JDK's: it connects to an address given apart from the URL's host ({@link RequestOptions#setServer}) while
 * the Host header, the TLS server name (SNI) and the certificate check follow the host, which is what lets a request
 * go to the very address that was checked.
 */
public final class PinnedRequests {

    private PinnedRequests() {
    }

    /**
     * Client options for such requests: no keep-alive (a connection is never reused past the check that allowed it),
     * host name verification and SNI; TLS trusts the JVM's CAs. Redirects are never followed (see {@link #post}).
     */
    public static HttpClientOptions clientOptions(String name, int connectTimeoutMs, int maxPoolSize) {
        return new HttpClientOptions().setConnectTimeout(connectTimeoutMs).setKeepAlive(false).setVerifyHost(true)
                .setForceSni(true).setMaxPoolSize(maxPoolSize).setName(name);
    }

    /**
     * A POST of {@code uri} to {@code address}, with {@code headers}. No redirects: a receiver cannot bounce the
     * request to an address never checked.
     */
    public static RequestOptions post(URI uri, InetAddress address, Map<String, String> headers, long timeoutMs) {
        boolean tls = "https".equalsIgnoreCase(uri.getScheme());
        int port = uri.getPort() >= 0 ? uri.getPort() : tls ? 443 : 80;
        String target = (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setSsl(tls).setHost(host).setPort(port)
                .setURI(target).setServer(SocketAddress.inetSocketAddress(port, address.getHostAddress()))
                .setFollowRedirects(false).setTimeout(timeoutMs);
        headers.forEach(options::putHeader);
        return options;
    }

    /**
     * What went wrong, for a delivery record: the exception's kind and its innermost message (a TLS failure's "Failed
     * to create SSL connection" only means something with its cause, e.g. an untrusted certificate).
     */
    public static String describe(Throwable failure) {
        String message = failure.getMessage();
        for (Throwable c = failure.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null) {
                message = c.getMessage();
            }
        }
        return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
