package vn.lgsp.common.security;

/**
 * The cause of the {@link io.quarkus.security.AuthenticationFailedException} (a final class) raised for a bearer
 * token that verified but was revoked since it was issued, so the answer can say so: 401 like an invalid one.
 */
public class TokenRevokedException extends SecurityException {

    public TokenRevokedException() {
        super("The bearer token has been revoked");
    }

    /** Whether an authentication failure was this one. */
    public static boolean isCauseOf(Throwable failure) {
        for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof TokenRevokedException) {
                return true;
            }
        }
        return false;
    }
}
