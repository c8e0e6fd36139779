package vn.lgsp.catalog.webhook.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;
import vn.lgsp.catalog.support.CatalogConfig;
import vn.lgsp.common.client.PlatformConfig;

/**
 * Each subscriber's webhook secret is derived, never stored: HMAC-SHA256(signing key, subscription id + generation).
 * The database therefore holds nothing that signs webhooks; the subscriber sees its secret once (on applying or
 * rotating) and verifies RFC 9421 signatures with it, key id {@code <subscription id>.<generation>}.
 * <p>
 * The signing key is {@code lgsp.catalog.webhook-signing-key}; without it, one derived from catalog's client secret
 * (so a deployment that only sets that still has stable secrets), else a random one per process (secrets then
 * change on restart, which the log says).
 */
@ApplicationScoped
public class WebhookSecrets {

    private static final Logger LOG = Logger.getLogger(WebhookSecrets.class);
    private static final String PREFIX = "whsec_";

    private final byte[] signingKey;

    @Inject
    public WebhookSecrets(CatalogConfig config, PlatformConfig platform) {
        if (config.webhookSigningKey().isPresent() && !config.webhookSigningKey().get().isBlank()) {
            signingKey = config.webhookSigningKey().get().getBytes(StandardCharsets.UTF_8);
        } else if (platform.clientSecret().isPresent() && !platform.clientSecret().get().isBlank()) {
            signingKey = hmac(platform.clientSecret().get().getBytes(StandardCharsets.UTF_8), "lgsp-catalog-webhook-signing-key");
        } else {
            signingKey = new byte[32];
            new SecureRandom().nextBytes(signingKey);
            LOG.warn("Neither lgsp.catalog.webhook-signing-key nor lgsp.platform.client-secret is set: webhook secrets "
                    + "change when catalog restarts");
        }
    }

    /** The secret a subscriber uses to verify webhook signatures. */
    public String secret(UUID subscriptionId, int generation) {
        return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(signingKey, subscriptionId + ":" + generation));
    }

    public static String keyId(UUID subscriptionId, int generation) {
        return subscriptionId + "." + generation;
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
