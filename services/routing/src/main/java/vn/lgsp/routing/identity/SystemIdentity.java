package vn.lgsp.routing.identity;

/**
 * The calling agency system, as established by a verified credential.
 *
 * @param system      system code (the token's {@code sub})
 * @param agency      owning agency code
 * @param environment {@code test} or {@code production}
 * @param clientId    consumer key the credential was issued for (checked against revocations)
 * @param tokenId     {@code jti}, null for signed requests
 * @param expiresAt   epoch seconds after which the credential is no longer accepted
 */
public record SystemIdentity(String system, String agency, String environment, String clientId, String tokenId,
        long expiresAt) {
}
