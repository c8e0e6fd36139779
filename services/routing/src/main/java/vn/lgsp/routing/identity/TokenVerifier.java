package vn.lgsp.routing.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.vertx.core.Future;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import java.security.Key;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.lang.UnresolvableKeyException;
import vn.lgsp.common.id.Environment;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;
import vn.lgsp.common.security.Roles;
import vn.lgsp.routing.config.RoutingConfig;
import vn.lgsp.routing.snapshot.service.SnapshotHolder;
import vn.lgsp.routing.snapshot.service.SnapshotLoader;

/**
 * Verifies system tokens locally against auth's keys in the snapshot. An RS256 check costs ≈ 80 µs, which
 * would cap the gateway near a third of a plain proxy (issue 7), so a verified token is remembered, keyed by
 * the Authorization header that carried it, until it expires. Revocation is not cached: the caller checks every request against the
 * current snapshot.
 */
@Singleton
public class TokenVerifier {

    /** The scheme and its space, as the callers match it (case-insensitively: RFC 9110 §11.1). */
    public static final String BEARER = "bearer ";

    @Inject
    SnapshotHolder snapshots;

    @Inject
    SnapshotLoader loader;

    @Inject
    RoutingConfig config;

    @ConfigProperty(name = "lgsp.jwt.issuer", defaultValue = "http://localhost:8082")
    String issuer;

    private Cache<HeaderKey, SystemIdentity> verified;
    private JwtConsumer consumer;

    @PostConstruct
    void init() {
        verified = Caffeine.newBuilder()
                // Cache upkeep on the calling thread: the default (the common ForkJoinPool) hands it to another
                // thread, woken by a system call, many times a second at gateway rates.
                .executor(Runnable::run)
                .maximumSize(config.identity().tokenCacheSize())
                .expireAfter(new Expiry<HeaderKey, SystemIdentity>() {
                    @Override
                    public long expireAfterCreate(HeaderKey key, SystemIdentity id, long now) {
                        long remaining = id.expiresAt() * 1000 - System.currentTimeMillis();
                        return TimeUnit.MILLISECONDS.toNanos(Math.max(0, remaining));
                    }

                    @Override
                    public long expireAfterUpdate(HeaderKey key, SystemIdentity id, long now, long current) {
                        return current;
                    }

                    @Override
                    public long expireAfterRead(HeaderKey key, SystemIdentity id, long now, long current) {
                        return current;
                    }
                })
                .build();
        consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setRequireSubject()
                .setExpectedIssuer(issuer)
                .setAllowedClockSkewInSeconds((int) config.identity().clockSkew().toSeconds())
                .setSkipDefaultAudienceValidation()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256)
                .setVerificationKeyResolver((jws, nesting) -> {
                    Key key = keyFor(jws.getKeyIdHeaderValue());
                    if (key == null) {
                        throw new UnresolvableKeyException("unknown key id");
                    }
                    return key;
                })
                .build();
    }

    /**
     * The system an {@code Authorization: Bearer <token>} header speaks for; fails with a 401 problem when the token
     * is not acceptable. Verified tokens are remembered keyed by the header value as sent, so a call with a cached
     * token costs one hash lookup and no copy of the ~800-character token.
     */
    public Future<SystemIdentity> verifyBearer(String authorization) {
        SystemIdentity cached = verified.getIfPresent(new HeaderKey(authorization));
        if (cached != null && cached.expiresAt() * 1000 > System.currentTimeMillis()) {
            return Future.succeededFuture(cached);
        }
        String token = authorization.substring(BEARER.length()).trim();
        String kid;
        try {
            kid = JsonWebStructure.fromCompactSerialization(token).getKeyIdHeaderValue();
        } catch (Exception e) {
            return Future.failedFuture(invalid("The bearer token is not a well-formed JWS"));
        }
        if (keyFor(kid) != null) {
            return verifyNow(authorization, token);
        }
        // Auth may have rotated its keys since the last load: refresh (rate-limited) and try once more. If auth could
        // not be asked, the key may well be real: 503, not a 401 blaming the caller (nor a refused credential on record).
        return loader.refreshKeys().transform(ar -> keyFor(kid) != null ? verifyNow(authorization, token)
                : Future.failedFuture(loader.keysFailing() ? keysUnavailable()
                        : invalid("The bearer token is signed with an unknown key")));
    }

    private static ProblemException keysUnavailable() {
        return new ProblemException(ProblemType.UNAVAILABLE, "The bearer token is signed with a key the gateway does "
                + "not know yet, and auth cannot be reached to learn it; try again shortly", List.of(),
                Map.of("Retry-After", "5"));
    }

    /** Test and status support. */
    public long cachedTokens() {
        return verified.estimatedSize();
    }

    private Future<SystemIdentity> verifyNow(String authorization, String token) {
        try {
            SystemIdentity id = identity(consumer.processToClaims(token));
            verified.put(new HeaderKey(authorization), id);
            return Future.succeededFuture(id);
        } catch (InvalidJwtException e) {
            String detail = e.hasExpired() ? "The bearer token has expired"
                    : e.hasErrorCode(org.jose4j.jwt.consumer.ErrorCodes.ISSUER_INVALID) ? "The bearer token was not issued by this platform"
                    : "The bearer token signature or claims are invalid";
            return Future.failedFuture(invalid(detail));
        } catch (ProblemException e) {
            return Future.failedFuture(e);
        }
    }

    private SystemIdentity identity(JwtClaims claims) {
        try {
            List<String> groups = groups(claims.getClaimValue("groups"));
            if (!groups.contains(Roles.SYSTEM)) {
                throw invalid("The bearer token does not belong to an agency system");
            }
            String env = claims.getStringClaimValue(Roles.ENVIRONMENT_CLAIM);
            try {
                env = Environment.parse(env).wire();
            } catch (RuntimeException e) {
                throw invalid("The bearer token names no valid environment");
            }
            return new SystemIdentity(claims.getSubject(), claims.getStringClaimValue(Roles.AGENCY_CLAIM), env,
                    claims.getStringClaimValue(Roles.CLIENT_ID_CLAIM), claims.getJwtId(),
                    claims.getExpirationTime().getValue());
        } catch (MalformedClaimException e) {
            throw invalid("The bearer token has a malformed claim");
        }
    }

    private static List<String> groups(Object claim) {
        if (claim instanceof Collection<?> c) {
            return c.stream().map(String::valueOf).toList();
        }
        return claim == null ? List.of() : List.of(claim.toString());
    }

    private Key keyFor(String kid) {
        Map<String, java.security.PublicKey> keys = snapshots.get().keys();
        if (kid == null) {
            // auth always names the key; tolerate its absence only when there is no doubt which key it is.
            return keys.size() == 1 ? keys.values().iterator().next() : null;
        }
        return keys.get(kid);
    }

    static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.UNAUTHENTICATED, detail, List.of(),
                Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\""));
    }

    /**
     * A cache key for an Authorization header: equal only to the very same header (full comparison), but hashed
     * over its last 64 characters, which are the token's RS256 signature and as random as a hash needs. Java 17
     * hashes a whole String a character at a time: ~800 of them per call for a full token (≈ 1 % of the gateway's
     * CPU per call).
     */
    static final class HeaderKey {
        private final String value;
        private final int hash;

        HeaderKey(String value) {
            this.value = value;
            int h = value.length();
            for (int i = Math.max(0, value.length() - 64); i < value.length(); i++) {
                h = 31 * h + value.charAt(i);
            }
            this.hash = h;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof HeaderKey k && k.hash == hash && k.value.equals(value);
        }
    }
}
