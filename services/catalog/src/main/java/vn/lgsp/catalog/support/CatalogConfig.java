package vn.lgsp.catalog.support;

import vn.lgsp.common.net.Cidr;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** catalog's own settings; where the peers are comes from {@code lgsp.platform.*} (PlatformConfig). */
@ConfigMapping(prefix = "lgsp.catalog")
public interface CatalogConfig {

    /** Upper bound of one registry lookup, token fetch included. */
    @WithDefault("3s")
    Duration registryTimeout();

    /** Upper bound of one webhook delivery attempt. */
    @WithDefault("5s")
    Duration webhookTimeout();

    /** Key from which each subscriber's webhook secret is derived; see WebhookSecrets for the fallback. */
    Optional<String> webhookSigningKey();

    /** Attempts per webhook delivery before it is marked failed (the first one included). */
    @WithDefault("6")
    int webhookMaxAttempts();

    /** Wait before the second attempt; each later wait doubles, up to webhookMaxBackoff. */
    @WithDefault("10s")
    Duration webhookInitialBackoff();

    @WithDefault("30m")
    Duration webhookMaxBackoff();

    /** How often due webhook deliveries are looked for (retries, and deliveries another replica left behind). */
    @WithDefault("2s")
    Duration webhookPollInterval();

    /**
     * Networks webhooks may go to although private, loopback or otherwise internal (which are refused by default, so
     * subscribers cannot make catalog call the platform's own services): CIDR blocks such as the province's network
     * {@code 10.20.0.0/16}. A bad entry stops the service at start-up.
     */
    Optional<List<@WithConverter(Cidr.Converter.class) Cidr>> webhookAllowedNetworks();

    /** How long routing's change log keeps changes; older ones are pruned and a reader behind them reloads the snapshot. */
    @WithDefault("7d")
    Duration feedRetention();

    /** How often the change log is pruned. */
    @WithDefault("1h")
    Duration feedPruneInterval();

    /**
     * How often subscriptions whose period of use is over are ended and subscribers whose period ends soon are told.
     * routing refuses calls after the last day on its own; this moves the status and tells the subscriber.
     */
    @WithDefault("5m")
    Duration subscriptionExpiryInterval();

    /** How long before its period of use ends a subscriber is told (once), so it can ask for an extension. */
    @WithDefault("30d")
    Duration subscriptionExpiryNotice();

    /**
     * How far ahead maintenance must be announced (REQUIREMENTS M8: connected parties are told before); an
     * emergency announcement with a reason may start at once.
     */
    @WithDefault("24h")
    Duration maintenanceMinNotice();

    /**
     * How long before a maintenance window starts its subscribers are reminded ({@code maintenance.starting}), once;
     * 0 turns reminders off. An announcement or new start already within it counts as the reminder.
     */
    @WithDefault("1h")
    Duration maintenanceReminder();

    /** How often windows due for their reminder are looked for. */
    @WithDefault("1m")
    Duration maintenanceReminderInterval();

    /** The longest one maintenance window may last; longer work is announced as several windows. */
    @WithDefault("7d")
    Duration maintenanceMaxDuration();

    /** How often a long-polling feed reader re-checks the change log. */
    @WithDefault("200ms")
    Duration feedPollInterval();
}
