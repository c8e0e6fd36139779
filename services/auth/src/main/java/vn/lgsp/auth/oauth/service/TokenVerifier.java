package vn.lgsp.auth.oauth.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import vn.lgsp.auth.key.service.SigningKeys;

/**
 * Checks a token auth issued (introspection, revocation): signature by one of our published keys, RS256 only
 * (so never {@code alg: none}), our issuer, not expired. Yields null for anything else, never an exception:
 * RFC 7662 and RFC 7009 answer the same way for every kind of invalid token.
 */
@ApplicationScoped
public class TokenVerifier {

    private static final JwtConsumer HEADER_ONLY = new JwtConsumerBuilder().setSkipAllValidators()
            .setDisableRequireSignature().setSkipSignatureVerification().build();

    @Inject
    SigningKeys keys;

    @Inject
    TokenSigner signer;

    public Uni<JwtClaims> verify(String token) {
        if (token == null || token.length() > 8192) {
            return Uni.createFrom().nullItem();
        }
        JwtContext context;
        String kid;
        try {
            context = HEADER_ONLY.process(token);
            if (context.getJoseObjects().size() != 1) {
                return Uni.createFrom().nullItem();
            }
            kid = context.getJoseObjects().get(0).getKeyIdHeaderValue();
        } catch (InvalidJwtException e) {
            return Uni.createFrom().nullItem();
        }
        if (kid == null) {
            return Uni.createFrom().nullItem();
        }
        JwtContext parsed = context;
        return keys.verificationKey(kid).map(key -> {
            if (key == null) {
                return null;
            }
            JwtConsumer consumer = new JwtConsumerBuilder()
                    .setVerificationKey(key)
                    .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, "RS256")
                    .setExpectedIssuer(signer.issuer())
                    .setRequireExpirationTime()
                    .setRequireJwtId()
                    .setAllowedClockSkewInSeconds(30)
                    .setSkipDefaultAudienceValidation()
                    .build();
            try {
                consumer.processContext(parsed);
                return parsed.getJwtClaims();
            } catch (InvalidJwtException e) {
                return null;
            }
        });
    }
}
