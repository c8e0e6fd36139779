package vn.lgsp.auth.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The environment variables the Helm chart renders for single sign-on (singleSignOn.identityProviders, checked by the
 * chart's own test) reach {@code lgsp.auth.identity-providers.<name>.*} as auth reads them.
 */
class IdentityProviderEnvTest {

    @Test
    void theChartsEnvironmentNamesMapToEachProvidersSettings() {
        Map<String, String> env = Map.of(
                "LGSP_AUTH_IDENTITY_PROVIDERS_TINH_ISSUER", "https://sso.tinh.gov.vn/realms/can-bo",
                "LGSP_AUTH_IDENTITY_PROVIDERS_TINH_AUDIENCE", "lgsp-admin",
                "LGSP_AUTH_IDENTITY_PROVIDERS_VNEID_ISSUER", "https://vneid.gov.vn",
                "LGSP_AUTH_IDENTITY_PROVIDERS_VNEID_AUDIENCE", "lgsp",
                "LGSP_AUTH_IDENTITY_PROVIDERS_VNEID_JWKS_URI", "https://vneid.gov.vn/keys",
                "LGSP_AUTH_IDENTITY_PROVIDERS_VNEID_SUBJECT_CLAIM", "preferred_username",
                "LGSP_AUTH_IDENTITY_PROVIDERS_VNEID_MAX_TOKEN_AGE", "5m",
                "LGSP_AUTH_IDENTITY_PROVIDERS_VNEID_KEYS_REFRESH_MIN_INTERVAL", "1m",
                "LGSP_AUTH_IDENTITY_PROVIDERS_VNEID_TIMEOUT", "2s");
        // Quarkus reads "5m"-style durations with its own converter; so does this plain SmallRye config.
        SmallRyeConfig config = new SmallRyeConfigBuilder().withSources(new EnvConfigSource(env, 300))
                .withConverter(Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                .withMapping(AuthConfig.class).build();
        Map<String, AuthConfig.IdentityProvider> providers = config.getConfigMapping(AuthConfig.class).identityProviders();
        assertEquals(java.util.Set.of("tinh", "vneid"), providers.keySet());
        AuthConfig.IdentityProvider tinh = providers.get("tinh");
        assertEquals("https://sso.tinh.gov.vn/realms/can-bo", tinh.issuer());
        assertEquals("lgsp-admin", tinh.audience());
        assertTrue(tinh.jwksUri().isEmpty());
        assertEquals("sub", tinh.subjectClaim());
        assertEquals(Duration.ofMinutes(10), tinh.maxTokenAge());
        AuthConfig.IdentityProvider vneid = providers.get("vneid");
        assertEquals("https://vneid.gov.vn/keys", vneid.jwksUri().orElseThrow());
        assertEquals("preferred_username", vneid.subjectClaim());
        assertEquals(Duration.ofMinutes(5), vneid.maxTokenAge());
        assertEquals(Duration.ofMinutes(1), vneid.keysRefreshMinInterval());
        assertEquals(Duration.ofSeconds(2), vneid.timeout());
    }
}
