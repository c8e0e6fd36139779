package vn.lgsp.common.security;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonString;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Refuses a verified JWT that has been revoked since it was issued (a disabled admin account, a changed password,
 * a logout, a revoked credential), on every service's own APIs: the signature alone would keep it valid until it
 * expires (up to an hour). Checked in memory against {@link RevokedTokens}; never calls auth per request.
 */
@ApplicationScoped
public class RevocationAugmentor implements SecurityIdentityAugmentor {

    @Inject
    RevokedTokens revoked;

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return Uni.createFrom().item(identity);
        }
        Object clientId = jwt.getClaim(Roles.CLIENT_ID_CLAIM);
        String client = clientId instanceof JsonString js ? js.getString() : clientId == null ? null : clientId.toString();
        if (revoked.isRevoked(jwt.getTokenID(), client, jwt.getSubject(), jwt.getIssuedAtTime())) {
            return Uni.createFrom().failure(new AuthenticationFailedException("revoked", new TokenRevokedException()));
        }
        return Uni.createFrom().item(identity);
    }
}
