package vn.lgsp.routing.snapshot.domain;

import java.time.Instant;
import java.util.List;

/**
 * An access key an agency system signs requests with (RFC 9421 hmac-sha256), from auth's hmac-keys feed.
 * The secret lives only in memory; {@link #toString()} never shows it, so a stray log line cannot leak it.
 *
 * @param accessKey   the {@code keyid} of the signature, and the caller's client id
 * @param secret      HMAC key bytes (UTF-8 of the secret_key)
 * @param system      system code of the owner
 * @param agency      agency code of the owner
 * @param environment {@code test} or {@code production}
 * @param expiresAt   null when the key does not expire
 * @param previousSecret      the secret before the last rotation, or null
 * @param previousValidUntil  until when {@code previousSecret} is still accepted (the rotation overlap)
 */
public record HmacKey(String accessKey, byte[] secret, String system, String agency, String environment,
        Instant expiresAt, byte[] previousSecret, Instant previousValidUntil) {

    public HmacKey(String accessKey, byte[] secret, String system, String agency, String environment, Instant expiresAt) {
        this(accessKey, secret, system, agency, environment, expiresAt, null, null);
    }

    public boolean activeAt(Instant now) {
        return expiresAt == null || expiresAt.isAfter(now);
    }

    /** The secrets a signature may be made with at {@code now}: the current one, then the previous during the overlap. */
    public List<byte[]> secretsAt(Instant now) {
        if (!activeAt(now)) {
            return List.of();
        }
        if (previousSecret != null && previousValidUntil != null && previousValidUntil.isAfter(now)) {
            return List.of(secret, previousSecret);
        }
        return List.of(secret);
    }

    @Override
    public String toString() {
        return "HmacKey[accessKey=" + accessKey + ", system=" + system + ", agency=" + agency + ", environment="
                + environment + ", expiresAt=" + expiresAt + "]";
    }
}
