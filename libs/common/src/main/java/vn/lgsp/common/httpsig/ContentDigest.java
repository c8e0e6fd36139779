package vn.lgsp.common.httpsig;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;

/** RFC 9530 {@code Content-Digest}: produce {@code sha-256=:…:} and check a received value against the body. */
public final class ContentDigest {

    private ContentDigest() {
    }

    public static String sha256Header(byte[] body) {
        return "sha-256=:" + Base64.getEncoder().encodeToString(digest("SHA-256", body)) + ":";
    }

    /** Checks every supported algorithm named in the header (sha-256, sha-512); at least one must be present. */
    public static void verify(String headerValue, byte[] body) {
        if (headerValue == null || headerValue.isBlank()) {
            throw new SignatureException(SignatureException.Reason.MISSING_COMPONENT, "Content-Digest is required with a body");
        }
        Map<String, StructuredFields.Member> dict = StructuredFields.parseDictionary(headerValue);
        boolean checked = false;
        for (Map.Entry<String, StructuredFields.Member> e : dict.entrySet()) {
            String algorithm = switch (e.getKey()) {
                case "sha-256" -> "SHA-256";
                case "sha-512" -> "SHA-512";
                default -> null;
            };
            if (algorithm == null || e.getValue().bytes() == null) {
                continue;
            }
            checked = true;
            if (!MessageDigest.isEqual(digest(algorithm, body), e.getValue().bytes())) {
                throw new SignatureException(SignatureException.Reason.DIGEST_MISMATCH, "Content-Digest does not match the body");
            }
        }
        if (!checked) {
            throw new SignatureException(SignatureException.Reason.UNSUPPORTED_ALGORITHM,
                    "Content-Digest must use sha-256 or sha-512");
        }
    }

    static byte[] digest(String algorithm, byte[] body) {
        try {
            return MessageDigest.getInstance(algorithm).digest(body);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
