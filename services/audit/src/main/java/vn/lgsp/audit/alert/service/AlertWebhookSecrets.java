package vn.lgsp.audit.alert.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import vn.lgsp.audit.support.AuditConfig;
import vn.lgsp.common.client.PlatformConfig;
import vn.lgsp.common.httpsig.WebhookSigner;

/**
 * Each alert rule's webhook secret, derived (libs' {@link WebhookSigner}, subject = rule id), never stored: the
 * operator sees it once (creating the rule with a webhook, adding one, or rotating) and the receiver verifies RFC 9421
 * signatures with it, key id {@code <rule id>.<generation>} — the same check as for catalog's webhooks.
 */
@ApplicationScoped
public class AlertWebhookSecrets {

    private final WebhookSigner signer;

    @Inject
    public AlertWebhookSecrets(AuditConfig config, PlatformConfig platform) {
        // The derivation label is part of every rule's secret: changing it would change them all.
        signer = WebhookSigner.fromConfig(config.alerts().webhookSigningKey(), platform.clientSecret(),
                "lgsp-audit-alert-webhook-signing-key", "lgsp.audit.alerts.webhook-signing-key");
    }

    public String secret(UUID ruleId, int generation) {
        return signer.secret(ruleId.toString(), generation);
    }

    public static String keyId(UUID ruleId, int generation) {
        return WebhookSigner.keyId(ruleId.toString(), generation);
    }

    public Map<String, String> sign(URI uri, byte[] body, UUID ruleId, int generation, long createdEpochSeconds) {
        return signer.sign(uri, body, ruleId.toString(), generation, createdEpochSeconds);
    }
}
