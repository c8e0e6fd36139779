package vn.lgsp.common.security;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * auth's revocation feed ({@code GET /api/v1/feed/revocations}, docs/internal-apis.md): what was revoked and may
 * still be presented before it expires. Unknown members are ignored, so auth may add some without breaking a
 * service one release behind.
 *
 * @param revokedClientIds credentials (consumer keys) revoked: every token issued to them
 * @param revokedTokenIds single tokens revoked (RFC 7009, admin logout), by {@code jti}
 * @param revokedSubjects admin accounts whose tokens up to a moment were revoked (disabled, password changed)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RevocationFeed(long revision, List<String> revokedClientIds, List<String> revokedTokenIds,
        List<RevokedSubject> revokedSubjects) {

    /**
     * Every token of {@code subject} issued at or before {@code issuedAtOrBefore} (epoch seconds, compared with the
     * token's {@code iat}, which has whole seconds) is revoked. auth issues the account no token within that second
     * afterwards, so a token issued after the revocation is never caught by it.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RevokedSubject(String subject, long issuedAtOrBefore) {
    }
}
