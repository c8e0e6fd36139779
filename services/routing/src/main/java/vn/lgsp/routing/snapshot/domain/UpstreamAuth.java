package vn.lgsp.routing.snapshot.domain;

/**
 * How the gateway authenticates to a version's provider (catalog's {@code upstreamAuth}): nothing, a static header
 * whose value is a deployment secret, or an OAuth2 client-credentials token (e.g. toward the national platform,
 * NDXP). Only secret names travel in the feed; values are read from the gateway's own secret store.
 *
 * @param problem why this setting cannot be used (unknown type, a required field missing); calls then fail
 *                with 502 {@code upstream-auth-failed} rather than reach the provider unauthenticated
 */
public record UpstreamAuth(Type type, String headerName, String secretRef, String tokenUrl, String clientId,
        String clientSecretRef, String scope, String problem) {

    public static final UpstreamAuth NONE = new UpstreamAuth(Type.NONE, null, null, null, null, null, null, null);

    public enum Type {
        NONE, STATIC_HEADER, OAUTH2_CLIENT_CREDENTIALS, INVALID
    }

    public static UpstreamAuth invalid(String problem) {
        return new UpstreamAuth(Type.INVALID, null, null, null, null, null, null, problem);
    }

    /** From the feed's JSON fields; never throws: a bad setting becomes {@link Type#INVALID}. */
    public static UpstreamAuth parse(String type, String headerName, String secretRef, String tokenUrl, String clientId,
            String clientSecretRef, String scope) {
        if (type == null || type.isBlank() || "none".equals(type)) {
            return NONE;
        }
        return switch (type) {
            case "static_header" -> blank(headerName) || blank(secretRef)
                    ? invalid("static_header needs headerName and secretRef")
                    : new UpstreamAuth(Type.STATIC_HEADER, headerName, secretRef, null, null, null, null, null);
            case "oauth2_client_credentials" -> blank(tokenUrl) || blank(clientId) || blank(clientSecretRef)
                    || !(tokenUrl.startsWith("https://") || tokenUrl.startsWith("http://"))
                    ? invalid("oauth2_client_credentials needs an http(s) tokenUrl, clientId and clientSecretRef")
                    : new UpstreamAuth(Type.OAUTH2_CLIENT_CREDENTIALS, null, null, tokenUrl, clientId, clientSecretRef,
                            blank(scope) ? null : scope, null);
            default -> invalid("unknown upstream authentication type " + type);
        };
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
