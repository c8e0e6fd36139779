package vn.lgsp.catalog.webhook.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import vn.lgsp.catalog.support.CatalogConfig;
import vn.lgsp.common.client.PlatformConfig;
import vn.lgsp.common.httpsig.WebhookSigner;

/**
 * Each subscriber's webhook secret, derived (libs' {@link WebhookSigner}, subject = subscription id), never stored:
 * the database holds nothing that signs webhooks; the subscriber sees its secret once (on applying or rotating) and
 * verifies RFC 9421 signatures with it, key id {@code <subscription id>.<generation>}.
 * <p>
 * The signing key is {@code lgsp.catalog.webhook-signing-key}; without it, one derived from catalog's client secret,
 * else a random one per process (secrets then change on restart, which the log says).
 */
@ApplicationScoped
public class WebhookSecrets {

    private final WebhookSigner signer;

    @Inject
    public WebhookSecrets(CatalogConfig config, PlatformConfig platform) {
        // The derivation label is part of every subscriber's secret: changing it would change them all.
        signer = WebhookSigner.fromConfig(config.webhookSigningKey(), platform.clientSecret(),
                "lgsp-catalog-webhook-signing-key", "lgsp.catalog.webhook-signing-key");
    }

    /** The secret a subscriber uses to verify webhook signatures. */
    public String secret(UUID subscriptionId, int generation) {
        return signer.secret(subscriptionId.toString(), generation);
    }

    public static String keyId(UUID subscriptionId, int generation) {
        return WebhookSigner.keyId(subscriptionId.toString(), generation);
    }

    /** Content-Digest and the RFC 9421 signature of a delivery to {@code uri}. */
    public Map<String, String> sign(URI uri, byte[] body, UUID subscriptionId, int generation, long createdEpochSeconds) {
        return signer.sign(uri, body, subscriptionId.toString(), generation, createdEpochSeconds);
    }
}
