package vn.lgsp.auth.oauth.api;

import java.util.Map;

/**
 * An OAuth 2.0 error response (RFC 6749 §5.2): the OAuth endpoints answer in that format, not problem+json,
 * because integrators use ordinary OAuth client libraries that parse it.
 */
public class OAuthException extends RuntimeException {

    private final int status;
    private final String error;
    private final String description;
    private final Map<String, String> headers;

    public OAuthException(int status, String error, String description) {
        this(status, error, description, Map.of());
    }

    public OAuthException(int status, String error, String description, Map<String, String> headers) {
        super(error + ": " + description, null, false, false);
        this.status = status;
        this.error = error;
        this.description = description;
        this.headers = Map.copyOf(headers);
    }

    public static OAuthException invalidRequest(String description) {
        return new OAuthException(400, "invalid_request", description);
    }

    /** Deliberately vague (RFC 6749 allows no more): never says whether the id or the secret was wrong. */
    public static OAuthException invalidClient(boolean basic) {
        return new OAuthException(401, "invalid_client", "Client authentication failed",
                basic ? Map.of("WWW-Authenticate", "Basic realm=\"lgsp\"") : Map.of());
    }

    public static OAuthException throttled(long retryAfterSeconds) {
        return new OAuthException(429, "slow_down", "Too many failed authentications; retry after " + retryAfterSeconds + " s",
                Map.of("Retry-After", Long.toString(retryAfterSeconds)));
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    public String description() {
        return description;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
