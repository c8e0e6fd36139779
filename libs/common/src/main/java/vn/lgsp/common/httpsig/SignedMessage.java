package vn.lgsp.common.httpsig;

import java.util.List;

/**
 * The parts of an HTTP request that RFC 9421 signatures can cover. Adapters exist per HTTP stack
 * (Vert.x in the gateway, JAX-RS in auth's verification endpoint, plain values in tests).
 */
public interface SignedMessage {

    /** The method, e.g. {@code GET}. */
    String method();

    /** {@code http} or {@code https} as the client addressed the request. */
    String scheme();

    /** Host and, when not the scheme's default, port — as the client addressed the request. */
    String authority();

    /** The absolute path, percent-encoded as received, never empty ({@code /} at least). */
    String path();

    /** The query without the leading {@code ?}, as received; null when the request has none. */
    String query();

    /** All values of a header field (case-insensitive name), in order; empty when absent. */
    List<String> header(String name);

    /** A message defined by its parts. */
    static SignedMessage of(String method, String scheme, String authority, String path, String query,
            java.util.Map<String, List<String>> headers) {
        java.util.Map<String, List<String>> lower = new java.util.HashMap<>();
        headers.forEach((k, v) -> lower.put(k.toLowerCase(java.util.Locale.ROOT), v));
        return new SignedMessage() {
            public String method() {
                return method;
            }

            public String scheme() {
                return scheme;
            }

            public String authority() {
                return authority;
            }

            public String path() {
                return path;
            }

            public String query() {
                return query;
            }

            public List<String> header(String name) {
                return lower.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), List.of());
            }
        };
    }
}
