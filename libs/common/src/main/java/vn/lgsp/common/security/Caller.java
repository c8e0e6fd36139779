package vn.lgsp.common.security;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import vn.lgsp.common.problem.ProblemException;

/**
 * Who is calling, read from the verified JWT. Services ask it questions
 * ("may this caller act for that agency?") instead of parsing claims themselves.
 */
@RequestScoped
public class Caller {

    @Inject
    JsonWebToken jwt;

    public String subject() {
        return jwt.getSubject();
    }

    public Set<String> roles() {
        Set<String> groups = jwt.getGroups();
        return groups == null ? Set.of() : groups;
    }

    public boolean is(String role) {
        return roles().contains(role);
    }

    public boolean isOperator() {
        return is(Roles.OPERATOR);
    }

    /** The agency an agency admin or a system belongs to; null for operators and auditors. */
    public String agency() {
        return claim(Roles.AGENCY_CLAIM);
    }

    /** The environment (test, production) a system token is valid in; null for other tokens. */
    public String environment() {
        return claim(Roles.ENVIRONMENT_CLAIM);
    }

    /** The consumer key a system token was issued for; null for other tokens. */
    public String clientId() {
        return claim(Roles.CLIENT_ID_CLAIM);
    }

    private String claim(String name) {
        Object claim = jwt.getClaim(name);
        return claim == null ? null : claim.toString().replace("\"", "");
    }

    /** The presented token's id ({@code jti}): what a logout revokes. */
    public String tokenId() {
        return jwt.getTokenID();
    }

    /** When the presented token was issued (epoch seconds): what a revocation of all its subject's tokens compares. */
    public long issuedAt() {
        return jwt.getIssuedAtTime();
    }

    /** When the presented token expires (epoch seconds). */
    public long expiresAt() {
        return jwt.getExpirationTime();
    }

    /** A short, loggable description of the actor for audit records: never the token itself. */
    public String actor() {
        String subject = subject();
        return subject == null ? "anonymous" : subject;
    }

    /** Operators act for any agency; an agency admin only for its own (child agencies are checked by the caller of this). */
    public void requireOperatorOr(String agencyCode) {
        if (isOperator()) {
            return;
        }
        if (is(Roles.AGENCY_ADMIN) && agencyCode != null && agencyCode.equals(agency())) {
            return;
        }
        throw ProblemException.forbidden("You may not act for agency " + agencyCode);
    }
}
