package vn.lgsp.routing.assertion;

import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;
import vn.lgsp.common.access.AccessLevel;
import vn.lgsp.routing.config.RoutingConfig;

/**
 * Signs the gateway assertion a provider receives in {@code X-LGSP-Gateway-Assertion}: a short-lived RS256 JWT
 * saying which consumer system, agency and environment the gateway let through to which service version, and
 * at which access level.
 * Signing costs more than the rest of the pipeline together, so one assertion per (consumer, service version,
 * environment) is reused until shortly before it expires — never one per request (issue 7). The per-call
 * request id travels in its own header.
 */
@Startup
@Singleton
public class AssertionSigner {

    public static final String HEADER = "X-LGSP-Gateway-Assertion";
    private static final Logger LOG = Logger.getLogger(AssertionSigner.class);
    /** Renew this long before expiry so a provider never receives an assertion about to lapse. */
    private static final long RENEW_BEFORE_MS = 30_000;
    private static final int MAX_CACHED = 50_000;

    @Inject
    RoutingConfig config;

    private RsaJsonWebKey key;
    private String jwks;
    private final ConcurrentHashMap<Subject, Cached> cache = new ConcurrentHashMap<>();

    /**
     * Who the assertion is about; the cache key. accessLevel (REQUIREMENTS A3) is part of it so that a changed level
     * reaches the provider with the next call, not when the old assertion lapses; null: unrestricted, no claim.
     */
    public record Subject(String consumerSystem, String consumerAgency, String serviceCode, String version,
            String environment, String providerSystem, AccessLevel accessLevel) {
    }

    private record Cached(String token, long renewAt) {
    }

    @PostConstruct
    void init() {
        try {
            KeyPair pair = config.assertionKey().filter(s -> !s.isBlank()).map(AssertionSigner::fromPem).orElse(null);
            if (pair == null) {
                LOG.warn("lgsp.routing.assertion-key is not set: generated a temporary assertion key. Providers must "
                        + "re-fetch /.well-known/jwks.json after every restart; set a persistent key in production.");
                KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
                gen.initialize(2048);
                pair = gen.generateKeyPair();
            }
            key = new RsaJsonWebKey((RSAPublicKey) pair.getPublic());
            key.setPrivateKey(pair.getPrivate());
            key.setKeyId(config.assertionKeyId().orElse(key.calculateBase64urlEncodedThumbprint("SHA-256")));
            key.setAlgorithm(AlgorithmIdentifiers.RSA_USING_SHA256);
            key.setUse("sig");
            jwks = new JsonWebKeySet(key).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        } catch (Exception e) {
            throw new IllegalStateException("Cannot prepare the gateway assertion key: " + e.getMessage(), e);
        }
    }

    /** The assertion for this subject, signed at most once per lifetime. */
    public String assertionFor(Subject subject) {
        long now = System.currentTimeMillis();
        Cached cached = cache.get(subject);
        if (cached != null && now < cached.renewAt) {
            return cached.token;
        }
        if (cache.size() >= MAX_CACHED) {
            cache.values().removeIf(c -> c.renewAt <= now);
        }
        Cached fresh = sign(subject, now);
        cache.put(subject, fresh);
        return fresh.token;
    }

    /** Public keys providers verify assertions with. */
    public String jwks() {
        return jwks;
    }

    public String keyId() {
        return key.getKeyId();
    }

    private Cached sign(Subject s, long nowMs) {
        long ttlMs = config.assertionTtl().toMillis();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(config.assertionIssuer());
        claims.setSubject(s.consumerSystem());
        if (s.providerSystem() != null) {
            claims.setAudience(s.providerSystem());
        }
        claims.setClaim("agency", s.consumerAgency());
        claims.setClaim("service", s.serviceCode());
        claims.setClaim("version", s.version());
        claims.setClaim("env", s.environment());
        if (s.accessLevel() != null) {
            claims.setClaim("access_level", s.accessLevel().wire());
        }
        claims.setIssuedAt(org.jose4j.jwt.NumericDate.fromMilliseconds(nowMs));
        claims.setExpirationTime(org.jose4j.jwt.NumericDate.fromMilliseconds(nowMs + ttlMs));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key.getPrivateKey());
        jws.setKeyIdHeaderValue(key.getKeyId());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
        jws.setHeader("typ", "JWT");
        try {
            return new Cached(jws.getCompactSerialization(), nowMs + Math.max(ttlMs / 2, ttlMs - RENEW_BEFORE_MS));
        } catch (JoseException e) {
            throw new IllegalStateException("Could not sign the gateway assertion", e);
        }
    }

    private static KeyPair fromPem(String pem) {
        try {
            String body = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
            KeyFactory kf = KeyFactory.getInstance("RSA");
            RSAPrivateCrtKey priv = (RSAPrivateCrtKey) kf.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
            RSAPublicKey pub = (RSAPublicKey) kf.generatePublic(new RSAPublicKeySpec(priv.getModulus(), priv.getPublicExponent()));
            return new KeyPair(pub, priv);
        } catch (Exception e) {
            throw new IllegalStateException("lgsp.routing.assertion-key must be an RSA private key in PKCS#8 PEM "
                    + "(-----BEGIN PRIVATE KEY-----)", e);
        }
    }
}
