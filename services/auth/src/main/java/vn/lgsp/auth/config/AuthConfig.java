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
