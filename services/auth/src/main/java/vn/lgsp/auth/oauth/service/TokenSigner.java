package vn.lgsp.auth.oauth.service;

import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import vn.lgsp.auth.config.AuthConfig;
import vn.lgsp.auth.credential.domain.Credential;
import vn.lgsp.auth.key.service.SigningKeys;
import vn.lgsp.auth.key.service.SigningKeys.KeyState;
import vn.lgsp.common.security.Roles;

/** Mints every token the platform uses, with the active key and its kid; claims per docs/internal-apis.md. */
@ApplicationScoped
public class TokenSigner {

    @Inject
    SigningKeys keys;

    @Inject
    AuthConfig config;

    @ConfigProperty(name = "lgsp.jwt.issuer", defaultValue = "http://localhost:8082")
    String issuer;

    /** A signed token and what the token response says about it. */
    public record IssuedToken(String token, String jti, long expiresIn, String scope) {
    }

    public String issuer() {
        return issuer;
    }

    /** A platform service token: sub service:&lt;name&gt;, groups [service]. */
    public Uni<IssuedToken> service(String name) {
        return keys.current().map(s -> serviceNow(s, name));
    }

    /** Same, from the keys in memory: for auth's own calls, off any request. */
    public IssuedToken serviceNow(String name) {
        return serviceNow(keys.cached(), name);
    }

    private IssuedToken serviceNow(KeyState s, String name) {
        return sign(s, Jwt.claims().subject(Roles.SERVICE_SUBJECT_PREFIX + name).groups(Set.of(Roles.SERVICE)),
                config.serviceTokenLifetime(), null);
    }

    /** An agency system token; never outlives the credential it was issued for. */
    public Uni<IssuedToken> system(Credential c, String scope) {
        Duration lifetime = config.tokenLifetime();
        if (c.expiresAt() != null) {
            Duration left = Duration.between(Instant.now(), c.expiresAt());
            if (left.compareTo(lifetime) < 0) {
                lifetime = left;
            }
        }
        Duration life = lifetime;
        return keys.current().map(s -> sign(s, Jwt.claims().subject(c.systemCode()).groups(Set.of(Roles.SYSTEM))
                .claim(Roles.CLIENT_ID_CLAIM, c.clientId())
                .claim(Roles.AGENCY_CLAIM, c.agencyCode())
                .claim(Roles.ENVIRONMENT_CLAIM, c.environment())
                .claim("scope", scope), life, scope));
    }

    /** An admin token: sub = username, groups [role], agency for agency admins. */
    public Uni<IssuedToken> admin(String username, String role, String agencyCode) {
        return keys.current().map(s -> {
            JwtClaimsBuilder b = Jwt.claims().subject(username).groups(Set.of(role)).claim("upn", username);
            if (agencyCode != null) {
                b.claim(Roles.AGENCY_CLAIM, agencyCode);
            }
            return sign(s, b, config.adminTokenLifetime(), null);
        });
    }

    private IssuedToken sign(KeyState s, JwtClaimsBuilder b, Duration lifetime, String scope) {
        long now = Instant.now().getEpochSecond();
        long seconds = Math.max(1, lifetime.getSeconds());
        String jti = UUID.randomUUID().toString();
        String token = b.issuer(issuer).issuedAt(now).expiresAt(now + seconds).claim("jti", jti)
                .jws().keyId(s.activeKid()).algorithm(SignatureAlgorithm.RS256).sign(s.activeKey());
        return new IssuedToken(token, jti, seconds, scope);
    }
}
