package vn.lgsp.auth.credential.domain;

import java.time.Instant;
import java.util.UUID;

/**
 * A system's credential in one environment. {@code client_secret}: consumer key + secret for the token endpoint
 * (secret kept as a PBKDF2 hash). {@code hmac}: access key + secret key for RFC 9421 signatures (secret kept
 * encrypted, since verifying a signature needs it). After a rotation the previous secret stays valid until
 * {@link #previousValidUntil}.
 */
public record Credential(UUID id, String systemCode, String agencyCode, String environment, String kind, String clientId,
        String secretHash, byte[] secretEnc, String previousSecretHash, byte[] previousSecretEnc, Instant previousValidUntil,
        String status, Instant createdAt, Instant expiresAt, Instant rotatedAt, Instant revokedAt, String createdBy) {

    public static final String CLIENT_SECRET = "client_secret";
    public static final String HMAC = "hmac";
    public static final String ACTIVE = "active";
    public static final String REVOKED = "revoked";
    public static final String EXPIRED = "expired";

    /** What a caller sees: revoked wins, then expiry, then active. */
    public String effectiveStatus(Instant now) {
        if (REVOKED.equals(status)) {
            return REVOKED;
        }
        return expiresAt != null && !expiresAt.isAfter(now) ? EXPIRED : ACTIVE;
    }

    public boolean usable(Instant now) {
        return ACTIVE.equals(effectiveStatus(now));
    }

    public boolean previousSecretValid(Instant now) {
        return previousValidUntil != null && previousValidUntil.isAfter(now);
    }

    /** Associated data binding an encrypted secret key to this credential. */
    public static String aad(UUID id) {
        return "credential:" + id;
    }
}
