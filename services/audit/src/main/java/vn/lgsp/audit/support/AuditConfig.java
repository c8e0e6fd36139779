package vn.lgsp.audit.support;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import vn.lgsp.common.net.Cidr;

/** The audit service's own settings (environment: LGSP_AUDIT_*). */
@ConfigMapping(prefix = "lgsp.audit")
public interface AuditConfig {

    /** The law asks for at least 24 months; start-up refuses less (see RetentionService). */
    @WithDefault("24")
    int retentionMonths();

    Partitions partitions();

    Housekeeping housekeeping();

    Anchor anchor();

    Alerts alerts();

    interface Partitions {
        /** Monthly partitions created ahead of time beyond the current month. */
        @WithDefault("3")
        int aheadMonths();
    }

    interface Housekeeping {
        /** How often partitions ahead, anchors of closed days, retention and rollup pruning run. */
        @WithDefault("PT1H")
        Duration interval();

        @WithDefault("true")
        boolean enabled();
    }

    interface Anchor {
        /** PKCS#8 PEM (Ed25519 or EC P-256); secret. Unset: an ephemeral key, with a warning. */
        Optional<String> privateKey();

        /** The matching SubjectPublicKeyInfo PEM; not secret, served at /api/v1/integrity/keys. */
        Optional<String> publicKey();

        /** Refuse to start without a configured key (set true in production). */
        @WithDefault("false")
        boolean requireKey();
    }

    interface Alerts {
        @WithDefault("PT30S")
        Duration interval();

        @WithDefault("true")
        boolean enabled();

        /** Webhook delivery: attempts in all, the first back-off (doubled each time) and the per-call timeout. */
        @WithDefault("4")
        int webhookAttempts();

        @WithDefault("PT1S")
        Duration webhookBackoff();

        @WithDefault("PT5S")
        Duration webhookTimeout();

        /**
         * Key from which each rule's webhook secret is derived (secret). Unset: one derived from audit's client
         * secret, else a random one per process with a warning (secrets then change on restart).
         */
        Optional<String> webhookSigningKey();

        /**
         * Networks alert webhooks may reach although private (e.g. the province's own); none by default, so a rule's
         * URL cannot make audit POST to a pod, the database or a metadata endpoint. A bad CIDR stops the start.
         */
        Optional<List<@WithConverter(Cidr.Converter.class) Cidr>> webhookAllowedNetworks();
    }
}
