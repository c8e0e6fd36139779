package vn.lgsp.auth.credential.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.UUID;
import vn.lgsp.auth.credential.domain.Credential;

/**
 * A credential as the API shows it. The secret fields are filled only in the response that created the secret
 * (create, rotate) and are absent everywhere else.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CredentialView(UUID id, String systemCode, String agencyCode, String environment, String kind,
        String clientId, String clientSecret, String accessKey, String secretKey, String status, Instant createdAt,
        Instant expiresAt, Instant rotatedAt, Instant previousSecretValidUntil, Instant revokedAt) {

    public static CredentialView of(Credential c, String newSecret) {
        boolean hmac = Credential.HMAC.equals(c.kind());
        Instant now = Instant.now();
        return new CredentialView(c.id(), c.systemCode(), c.agencyCode(), c.environment(), c.kind(), c.clientId(),
                hmac ? null : newSecret, hmac ? c.clientId() : null, hmac ? newSecret : null, c.effectiveStatus(now),
                c.createdAt(), c.expiresAt(), c.rotatedAt(), c.previousSecretValid(now) ? c.previousValidUntil() : null,
                c.revokedAt());
    }

    /** What goes into the audit log: identity and state, never secrets. */
    public static java.util.Map<String, Object> summary(Credential c) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("clientId", c.clientId());
        m.put("systemCode", c.systemCode());
        m.put("environment", c.environment());
        m.put("kind", c.kind());
        m.put("status", c.effectiveStatus(Instant.now()));
        if (c.expiresAt() != null) {
            m.put("expiresAt", c.expiresAt().toString());
        }
        return m;
    }
}
