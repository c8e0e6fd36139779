package vn.lgsp.common.httpsig;

/** Why a signed request was refused; the reason maps to a stable problem detail without leaking secrets. */
public class SignatureException extends RuntimeException {

    public enum Reason {
        MISSING_SIGNATURE, MALFORMED, UNSUPPORTED_ALGORITHM, UNSUPPORTED_COMPONENT, MISSING_COMPONENT,
        REQUIRED_COMPONENT_NOT_COVERED, MISSING_PARAMETER, STALE, FUTURE, REPLAYED_NONCE, UNKNOWN_KEY,
        BAD_SIGNATURE, DIGEST_MISMATCH
    }

    private final Reason reason;

    public SignatureException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
