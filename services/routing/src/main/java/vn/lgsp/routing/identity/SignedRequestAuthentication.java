package vn.lgsp.routing.identity;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.BaseAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpCredentialTransport;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jose4j.jwt.JwtClaims;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.security.Roles;
import vn.lgsp.routing.snapshot.service.SnapshotHolder;

/**
 * RFC 9421 signed requests on the asynchronous exchange API (Vĩnh Long Art. 11: the source "connects with its key
 * pair"; Art. 12: access key and secret key), beside bearer tokens: a system that signs its data-plane calls signs
 * its exchanges the same way, with the same keys, verifier and nonce checks ({@link HmacSignatureVerifier}).
 * <p>
 * Only under {@value #PATH}, only without an {@code Authorization} header (a bearer token wins, as on the data
 * plane), and only for systems: the identity is the access key's system, agency and environment with the system
 * role, carried as the claims a system token has, so {@code Caller}, the revocation check
 * ({@code RevocationAugmentor}: a revoked access key is refused at once) and the resources need no second path.
 * A signed session lasts at most {@link #SESSION} (an event stream ends then, as it does when a token expires) or
 * until the key expires. With a body, the signature must cover {@code Content-Digest}; {@link SignedBodyCheck}
 * holds the body to it when a resource reads it, and refuses a body the signature vouches for in no way.
 */
@ApplicationScoped
public class SignedRequestAuthentication implements HttpAuthenticationMechanism {

    /** The API that accepts signed requests on this port. */
    public static final String PATH = "/api/v1/exchanges";
    /**
     * Identity attribute of a signed request: the Content-Digest its signature covered, or {@link #NO_BODY} when it
     * covers none (then any body is refused).
     */
    public static final String SIGNED_DIGEST = "lgsp.signed-content-digest";
    static final String NO_BODY = "";
    /** How long one signed request authenticates an event stream: a system token's default lifetime (A1). */
    static final Duration SESSION = Duration.ofHours(1);

    @Inject
    HmacSignatureVerifier verifier;

    @Inject
    SnapshotHolder snapshots;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identities) {
        HttpServerRequest request = context.request();
        if (!applies(context)) {
            return Uni.createFrom().optional(java.util.Optional.empty());
        }
        // An HTTP/2 request without a length is settled when its body is read (SignedBodyCheck).
        boolean hasBody = HmacSignatureVerifier.provesBody(request);
        return Uni.createFrom().completionStage(() -> verifier.verifySignature(request, snapshots.get(), hasBody)
                        .toCompletionStage())
                .onFailure(ProblemException.class)
                .transform(e -> new AuthenticationFailedException(e.getMessage(), e))
                .flatMap(signed -> identities.authenticate(HttpSecurityUtils.setRoutingContextAttribute(
                        new SignedRequest(signed.identity(), signed.coversContentDigest()
                                ? String.join(", ", request.headers().getAll("Content-Digest"))
                                : NO_BODY), context)));
    }

    /**
     * A signed request without a bearer token to the exchange API, by the path the router matches (normalised) and
     * only when the client sent it so: {@code /api/v1/exchanges/../routing/status} is not under the API.
     */
    static boolean applies(RoutingContext context) {
        HttpServerRequest request = context.request();
        String path = context.normalizedPath();
        return path != null && (path.equals(PATH) || path.startsWith(PATH + "/")) && path.equals(request.path())
                && request.getHeader("Authorization") == null
                && (request.headers().contains("Signature-Input") || request.headers().contains("Signature"));
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        // Only for signed requests; a request without credentials gets the bearer mechanism's challenge.
        return applies(context)
                ? Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", HmacSignatureVerifier.CHALLENGE))
                : Uni.createFrom().nullItem();
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(SignedRequest.class);
    }

    @Override
    public Uni<HttpCredentialTransport> getCredentialTransport(RoutingContext context) {
        return Uni.createFrom().item(new HttpCredentialTransport(HttpCredentialTransport.Type.OTHER_HEADER, "Signature"));
    }

    /** A verified signature, handed to {@link Identities} so that identity augmentors (revocation) run on it. */
    public static final class SignedRequest extends BaseAuthenticationRequest {
        final SystemIdentity system;
        final String digest;

        SignedRequest(SystemIdentity system, String digest) {
            this.system = system;
            this.digest = digest;
        }
    }

    /** Turns a verified signature into the system's identity. */
    @ApplicationScoped
    public static class Identities implements IdentityProvider<SignedRequest> {

        @Override
        public Class<SignedRequest> getRequestType() {
            return SignedRequest.class;
        }

        @Inject
        SnapshotHolder snapshots;

        @Override
        public Uni<SecurityIdentity> authenticate(SignedRequest request, AuthenticationRequestContext context) {
            SystemIdentity s = request.system;
            // As the data plane's Identify step does, against the same snapshot (libs' RevocationAugmentor checks
            // the same feed afterwards, but would answer with a bearer token's challenge).
            if (snapshots.get().revoked(s.clientId(), null)) {
                ProblemException revoked = HmacSignatureVerifier.revokedKey();
                return Uni.createFrom().failure(new AuthenticationFailedException(revoked.getMessage(), revoked));
            }
            long now = System.currentTimeMillis() / 1000;
            JwtClaims claims = new JwtClaims();
            claims.setSubject(s.system());
            claims.setStringListClaim("groups", List.of(Roles.SYSTEM));
            claims.setClaim(Roles.AGENCY_CLAIM, s.agency());
            claims.setClaim(Roles.ENVIRONMENT_CLAIM, s.environment());
            claims.setClaim(Roles.CLIENT_ID_CLAIM, s.clientId());
            claims.setIssuedAt(org.jose4j.jwt.NumericDate.fromSeconds(now));
            claims.setExpirationTime(org.jose4j.jwt.NumericDate.fromSeconds(
                    Math.min(s.expiresAt(), now + SESSION.toSeconds())));
            QuarkusSecurityIdentity.Builder identity = QuarkusSecurityIdentity.builder()
                    .setPrincipal(new DefaultJWTCallerPrincipal("", "RFC9421", claims))
                    .addRole(Roles.SYSTEM);
            identity.addAttribute(SIGNED_DIGEST, request.digest);
            return Uni.createFrom().item(identity.build());
        }
    }
}
