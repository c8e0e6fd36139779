package vn.lgsp.auth.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Everything auth reads from configuration ({@code lgsp.auth.*}); env names follow the Helm values. */
@ConfigMapping(prefix = "lgsp.auth")
public interface AuthConfig {

    /** Base64 of 32 random bytes: encrypts private signing keys and HMAC secret keys at rest. Required in prod. */
    Optional<String> masterKey();

    /** Lifetime of system tokens (An Giang Art. 12: one hour). */
    @WithDefault("1h")
    Duration tokenLifetime();

    /** Lifetime of platform service tokens: short, they are renewed automatically. */
    @WithDefault("15m")
    Duration serviceTokenLifetime();

    /** Lifetime of admin (operator, agency admin, auditor) tokens. */
    @WithDefault("1h")
    Duration adminTokenLifetime();

    /** How long a retired signing key stays in the JWKS; default: the longest token lifetime plus 5 minutes. */
    Optional<Duration> keyOverlap();

    /** Platform service clients: name → secret. */
    Map<String, String> serviceClients();

    /** Whether the scope claim is read from catalog's active subscriptions at issue time. */
    @WithDefault("true")
    boolean scopeFromCatalog();

    /** PBKDF2-HMAC-SHA256 iterations for new hashes (OWASP 2023: 600000; floor 210000). Tests lower it. */
    @WithDefault("210000")
    int pbkdf2Iterations();

    /** How long a successful secret verification is remembered, so token issuance stays fast. */
    @WithDefault("5m")
    Duration verificationCacheTtl();

    Throttle throttle();

    Hmac hmac();

    Bootstrap bootstrap();

    /**
     * OpenID Connect providers the province trusts for signing people in (REQUIREMENTS A7: its single sign-on, the
     * national e-ID), by a short name ([a-z0-9]{1,32}): an admin exchanges an ID token from one for a platform token
     * (RFC 8693). Env: {@code LGSP_AUTH_IDENTITY_PROVIDERS_<NAME>_ISSUER}, {@code ..._AUDIENCE}, ...
     */
    Map<String, IdentityProvider> identityProviders();

    interface IdentityProvider {
        /** The provider's issuer identifier, exactly as its tokens' {@code iss} and its discovery document say. */
        String issuer();

        /** The platform's client id at the provider: an ID token's {@code aud} must contain it. */
        String audience();

        /** Where its signing keys are; unset: {@code jwks_uri} of {@code <issuer>/.well-known/openid-configuration}. */
        Optional<String> jwksUri();

        /** The claim naming the person; {@code sub} (never reassigned by the provider) unless told otherwise. */
        @WithDefault("sub")
        String subjectClaim();

        /** How long after it was issued ({@code iat}) an ID token may still be exchanged. */
        @WithDefault("10m")
        Duration maxTokenAge();

        /**
         * Least time between two fetches of the provider's keys: a token naming an unknown key id (a rotation at the
         * provider) fetches them again, but forged key ids must not make the platform hammer the provider. Also how
         * long a failed discovery is not retried.
         */
        @WithDefault("30s")
        Duration keysRefreshMinInterval();

        /** Connect and read timeout of discovery and JWKS requests to the provider. */
        @WithDefault("5s")
        Duration timeout();
    }

    interface Throttle {
        /** Failed authentications of one client id within the window before it is blocked. */
        @WithDefault("10")
        int maxFailuresPerClient();

        /** Failed authentications from one source address within the window (higher: NAT). */
        @WithDefault("50")
        int maxFailuresPerAddress();

        @WithDefault("5m")
        Duration window();
    }

    interface Hmac {
        /** How long a resolved access key (decrypted secret) is reused; revocation here invalidates at once. */
        @WithDefault("30s")
        Duration keyCacheTtl();

        /** How often expired rows of used_nonce are deleted. */
        @WithDefault("10m")
        Duration noncePurgeInterval();
    }

    interface Bootstrap {
        @WithDefault("operator")
        String operatorUsername();

        /** When set and the account does not exist, it is created at start. */
        Optional<String> operatorPassword();
    }

    default Duration effectiveKeyOverlap() {
        Duration longest = tokenLifetime();
        for (Duration d : new Duration[] { serviceTokenLifetime(), adminTokenLifetime() }) {
            if (d.compareTo(longest) > 0) {
                longest = d;
            }
        }
        return keyOverlap().orElse(longest.plusMinutes(5));
    }
}
