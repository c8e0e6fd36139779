package vn.lgsp.auth.sso.service;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.jose4j.http.Get;
import org.jose4j.http.SimpleResponse;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.json.JsonUtil;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.jose4j.lang.JoseException;
import vn.lgsp.auth.config.AuthConfig;

/**
 * The OpenID Connect providers the province trusts for signing people in (REQUIREMENTS A7), and the check of an
 * ID token one of them issued: signed with one of its published keys (asymmetric algorithms only), its issuer, our
 * audience, unexpired, recent, and naming a subject. The provider's keys are fetched from its JWKS (found through
 * its discovery document unless configured), cached, and fetched again when a token names a key id not seen yet
 * (a rotation at the provider), at most once per {@code keys-refresh-min-interval} so forged key ids cannot make
 * the platform hammer the provider. Blocking (jose4j's HTTP): call off the event loop.
 */
@ApplicationScoped
public class IdentityProviders {

    private static final Logger LOG = Logger.getLogger(IdentityProviders.class);
    static final Pattern NAME = Pattern.compile("[a-z0-9]{1,32}");
    private static final int CLOCK_SKEW_SECONDS = 30;
    private static final AlgorithmConstraints ASYMMETRIC = new AlgorithmConstraints(
            AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.RSA_USING_SHA256,
            AlgorithmIdentifiers.RSA_USING_SHA384, AlgorithmIdentifiers.RSA_USING_SHA512,
            AlgorithmIdentifiers.RSA_PSS_USING_SHA256, AlgorithmIdentifiers.RSA_PSS_USING_SHA384,
            AlgorithmIdentifiers.RSA_PSS_USING_SHA512, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
            AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384, AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512);

    /** A person as a provider vouched for them in a valid ID token. */
    public record VerifiedIdentity(String provider, String subject, Instant expiresAt, byte[] tokenHash) {
    }

    /** Why an ID token is refused: said to the client as invalid_grant (or 503 when the provider is unreachable). */
    public static final class Refused extends RuntimeException {
        private final boolean providerUnavailable;

        Refused(String message, boolean providerUnavailable) {
            super(message, null, false, false);
            this.providerUnavailable = providerUnavailable;
        }

        public boolean providerUnavailable() {
            return providerUnavailable;
        }
    }

    @Inject
    AuthConfig config;

    private final Map<String, Provider> byIssuer = new TreeMap<>();
    private final Map<String, String> issuers = new TreeMap<>();

    @PostConstruct
    void init() {
        config.identityProviders().forEach((name, p) -> {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalStateException("lgsp.auth.identity-providers: name '" + name + "' must be 1-32 of a-z, 0-9");
            }
            if (byIssuer.containsKey(p.issuer())) {
                throw new IllegalStateException("lgsp.auth.identity-providers: " + name + " and "
                        + byIssuer.get(p.issuer()).name + " have the same issuer " + p.issuer());
            }
            if (!p.issuer().startsWith("https://")) {
                LOG.warnf("Identity provider %s: issuer %s is not https; acceptable only on a closed network", name, p.issuer());
            }
            byIssuer.put(p.issuer(), new Provider(name, p));
            issuers.put(name, p.issuer());
        });
    }

    /** Configured providers: name → issuer. */
    public Map<String, String> issuers() {
        return Collections.unmodifiableMap(issuers);
    }

    public boolean isConfigured(String name) {
        return issuers.containsKey(name);
    }

    /** Checks an ID token; blocking (may fetch the provider's discovery document and keys). */
    public VerifiedIdentity verify(String idToken) {
        JwtContext unverified;
        try {
            // First look, unverified, only to pick the provider by its iss; everything is checked below.
            unverified = new JwtConsumerBuilder().setSkipAllValidators().setDisableRequireSignature()
                    .setSkipSignatureVerification().build().process(idToken);
        } catch (InvalidJwtException e) {
            throw new Refused("subject_token is not a signed JWT", false);
        }
        String issuer;
        try {
            issuer = unverified.getJwtClaims().getIssuer();
        } catch (MalformedClaimException e) {
            throw new Refused("the ID token's iss is not a string", false);
        }
        Provider provider = issuer == null ? null : byIssuer.get(issuer);
        if (provider == null) {
            throw new Refused("the ID token is not from an identity provider this platform trusts", false);
        }
        JwtClaims claims;
        try {
            provider.consumer().processContext(unverified);
            claims = unverified.getJwtClaims();
        } catch (InvalidJwtException e) {
            Exception io = ioCause(e);
            if (io != null) {
                throw new Refused("identity provider " + provider.name + " cannot be reached: " + io.getMessage(), true);
            }
            throw new Refused("the ID token from " + provider.name + " is not valid: " + reason(e), false);
        } catch (ProviderUnavailable e) {
            throw new Refused("identity provider " + provider.name + " cannot be reached: " + e.getMessage(), true);
        }
        String typ = unverified.getJoseObjects().get(0).getHeader("typ");
        if (typ != null && (typ.equalsIgnoreCase("at+jwt") || typ.equalsIgnoreCase("application/at+jwt"))) {
            throw new Refused("an access token (typ " + typ + ") is not an ID token", false); // RFC 9068 §2.1
        }
        try {
            // OpenID Connect Core §3.1.3.7: with several audiences, or an azp at all, azp must be the platform.
            Object azp = claims.getClaimValue("azp");
            if ((azp != null || claims.getAudience().size() > 1) && !provider.settings.audience().equals(azp)) {
                throw new Refused("the ID token was issued to " + (azp == null ? "several audiences and no azp" : "azp " + azp)
                        + ", not to this platform (" + provider.settings.audience() + ")", false);
            }
        } catch (MalformedClaimException e) {
            throw new Refused("the ID token's aud is malformed", false);
        }
        Object subject = claims.getClaimValue(provider.settings.subjectClaim());
        if (!(subject instanceof String s) || s.isBlank() || s.length() > 255) {
            throw new Refused("the ID token's " + provider.settings.subjectClaim() + " claim is missing or not a string "
                    + "of at most 255 characters", false);
        }
        try {
            // The signed part only: the same token with a re-encoded or (ECDSA) mirrored signature still verifies,
            // and must count as the same token for "exchanged once".
            return new VerifiedIdentity(provider.name, s, Instant.ofEpochSecond(claims.getExpirationTime().getValue()),
                    sha256(idToken.substring(0, idToken.lastIndexOf('.'))));
        } catch (MalformedClaimException e) {
            throw new Refused("the ID token's exp is not a number", false);
        }
    }

    /** The first validation failure in words (jose4j's own message names the claim), without the token. */
    private static String reason(InvalidJwtException e) {
        if (e.getErrorDetails() != null && !e.getErrorDetails().isEmpty()) {
            String d = e.getErrorDetails().get(0).getErrorMessage();
            int cut = d.indexOf(" in the JWT (");
            return cut > 0 ? d.substring(0, cut) : d.length() > 300 ? d.substring(0, 300) : d;
        }
        return "its signature does not verify";
    }

    /**
     * The failure to fetch the provider's keys behind a key that could not be resolved, if that was the cause: the
     * network (IOException) or an unreadable JWKS (JoseException under the resolver's UnresolvableKeyException).
     */
    private static Exception ioCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException io) {
                return io;
            }
            if (t instanceof org.jose4j.lang.UnresolvableKeyException && t.getCause() instanceof JoseException jose) {
                return jose;
            }
        }
        return null;
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The provider's keys could not be fetched (network, HTTP status, unreadable document). */
    static final class ProviderUnavailable extends RuntimeException {
        ProviderUnavailable(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Provider {
        final String name;
        final AuthConfig.IdentityProvider settings;
        private volatile JwtConsumer consumer;
        private volatile long discoveryFailedAt;
        private volatile String discoveryFailure;

        Provider(String name, AuthConfig.IdentityProvider settings) {
            this.name = name;
            this.settings = settings;
        }

        /** Built on first use: discovery may need the provider up, which start-up must not. */
        JwtConsumer consumer() {
            JwtConsumer c = consumer;
            if (c == null) {
                synchronized (this) {
                    if (consumer == null) {
                        // A provider that just failed is not asked again for a while: each exchange would wait out
                        // the timeout otherwise.
                        if (System.currentTimeMillis() - discoveryFailedAt < settings.keysRefreshMinInterval().toMillis()) {
                            throw new ProviderUnavailable(discoveryFailure);
                        }
                        try {
                            consumer = build(jwksUri());
                        } catch (ProviderUnavailable e) {
                            discoveryFailedAt = System.currentTimeMillis();
                            discoveryFailure = e.getMessage();
                            throw e;
                        }
                    }
                    c = consumer;
                }
            }
            return c;
        }

        private Get http() {
            Get get = new Get();
            int ms = (int) settings.timeout().toMillis();
            get.setConnectTimeout(ms);
            get.setReadTimeout(ms);
            get.setRetries(1); // a provider that is down answers 503 quickly, not after a series of waits
            get.setResponseBodySizeLimit(512 * 1024);
            return get;
        }

        private String jwksUri() {
            if (settings.jwksUri().isPresent()) {
                return settings.jwksUri().get();
            }
            String base = settings.issuer().endsWith("/") ? settings.issuer().substring(0, settings.issuer().length() - 1)
                    : settings.issuer();
            String location = base + "/.well-known/openid-configuration";
            try {
                SimpleResponse r = http().get(location);
                if (r.getStatusCode() != 200) {
                    throw new ProviderUnavailable("discovery " + location + " answered " + r.getStatusCode());
                }
                Map<String, Object> doc = JsonUtil.parseJson(r.getBody());
                // OpenID Connect Discovery §4.3: the document must name the issuer it was fetched for.
                if (!settings.issuer().equals(doc.get("issuer"))) {
                    throw new ProviderUnavailable("discovery " + location + " names issuer " + doc.get("issuer"));
                }
                if (!(doc.get("jwks_uri") instanceof String uri)) {
                    throw new ProviderUnavailable("discovery " + location + " has no jwks_uri");
                }
                return uri;
            } catch (IOException | JoseException | ClassCastException e) {
                throw new ProviderUnavailable("discovery " + location + " failed: " + e.getMessage());
            }
        }

        private JwtConsumer build(String jwksUri) {
            HttpsJwks jwks = new HttpsJwks(jwksUri);
            jwks.setSimpleHttpGet(http());
            jwks.setRetainCacheOnErrorDuration(3600);
            jwks.setDefaultCacheDuration(3600);
            jwks.setRefreshReprieveThreshold(settings.keysRefreshMinInterval().toMillis());
            HttpsJwksVerificationKeyResolver keys = new HttpsJwksVerificationKeyResolver(jwks);
            int maxAge = (int) Math.min(Integer.MAX_VALUE, settings.maxTokenAge().toSeconds());
            return new JwtConsumerBuilder()
                    .setExpectedIssuer(settings.issuer())
                    .setExpectedAudience(settings.audience())
                    .setRequireExpirationTime()
                    .setRequireIssuedAt()
                    .setIssuedAtRestrictions(CLOCK_SKEW_SECONDS, maxAge)
                    .setAllowedClockSkewInSeconds(CLOCK_SKEW_SECONDS)
                    .setJwsAlgorithmConstraints(ASYMMETRIC)
                    .setVerificationKeyResolver(keys)
                    .build();
        }
    }
}
