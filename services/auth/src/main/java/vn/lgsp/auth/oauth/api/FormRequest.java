package vn.lgsp.auth.oauth.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An OAuth endpoint request: the form body parsed by hand (RFC 6749 §3.2: repeated parameters are an error,
 * which a framework's form binding would hide) and the client credentials from exactly one of HTTP Basic or
 * the body (§2.3.1).
 */
public final class FormRequest {

    private final Map<String, List<String>> params;
    private final String authorization;

    private FormRequest(Map<String, List<String>> params, String authorization) {
        this.params = params;
        this.authorization = authorization;
    }

    /** The presented client credentials and how they came. */
    public record ClientCredentials(String clientId, String secret, boolean basic) {
    }

    public static FormRequest parse(String contentType, String body, String authorization) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
            throw OAuthException.invalidRequest("Content-Type must be application/x-www-form-urlencoded");
        }
        Map<String, List<String>> params = new LinkedHashMap<>();
        if (body != null && !body.isEmpty()) {
            for (String pair : body.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                params.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            }
        }
        return new FormRequest(params, authorization);
    }

    /** A parameter; null when absent or empty (§3.2: empty values are treated as omitted). */
    public String single(String name) {
        List<String> values = params.get(name);
        if (values == null) {
            return null;
        }
        if (values.size() > 1) {
            throw OAuthException.invalidRequest("Parameter '" + name + "' is repeated");
        }
        String v = values.get(0);
        return v.isEmpty() ? null : v;
    }

    public String required(String name) {
        String v = single(name);
        if (v == null) {
            throw OAuthException.invalidRequest("Parameter '" + name + "' is required");
        }
        return v;
    }

    /** The client credentials, or null when the client presented none. */
    public ClientCredentials client() {
        String bodyId = single("client_id");
        String bodySecret = single("client_secret");
        if (authorization != null && !authorization.isBlank()) {
            if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
                // Another scheme (e.g. Bearer) is not a client authentication method here.
                throw new OAuthException(401, "invalid_client", "Client authentication must use HTTP Basic or the request body",
                        Map.of("WWW-Authenticate", "Basic realm=\"lgsp\""));
            }
            if (bodySecret != null) {
                throw OAuthException.invalidRequest("Use one client authentication method: HTTP Basic or client_secret in the body, not both");
            }
            ClientCredentials basic = decodeBasic(authorization.substring(6).trim());
            if (bodyId != null && !bodyId.equals(basic.clientId())) {
                throw OAuthException.invalidRequest("client_id in the body differs from the one in the Authorization header");
            }
            return basic;
        }
        if (bodySecret != null && bodyId == null) {
            throw OAuthException.invalidRequest("client_secret was sent without client_id");
        }
        if (bodyId == null) {
            return null;
        }
        return new ClientCredentials(bodyId, bodySecret, false);
    }

    private static ClientCredentials decodeBasic(String encoded) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw malformedBasic();
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw malformedBasic();
        }
        try {
            // §2.3.1: id and secret are form-urlencoded before the Basic encoding.
            String id = URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
            String secret = URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
            return new ClientCredentials(id, secret.isEmpty() ? null : secret, true);
        } catch (IllegalArgumentException e) {
            throw malformedBasic();
        }
    }

    private static OAuthException malformedBasic() {
        return new OAuthException(401, "invalid_client", "The Authorization header is not well-formed HTTP Basic",
                Map.of("WWW-Authenticate", "Basic realm=\"lgsp\""));
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw OAuthException.invalidRequest("The body is not valid application/x-www-form-urlencoded");
        }
    }
}
