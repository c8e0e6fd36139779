package vn.lgsp.catalog.webhook.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import vn.lgsp.catalog.support.CatalogConfig;
import vn.lgsp.common.net.Cidr;

/** catalog's webhook allow-list as configuration reads it (the rules themselves: libs' WebhookDestinationsTest). */
class WebhookAllowListConfigTest {

    private static SmallRyeConfig config(String allowedNetworks) {
        return new SmallRyeConfigBuilder().withMapping(CatalogConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter()) // Quarkus's "5s"; not needed for the allow-list
                .withSources(new PropertiesConfigSource(Map.of("lgsp.catalog.webhook-allowed-networks", allowedNetworks),
                        "test", 500))
                .build();
    }

    @Test
    void theAllowListIsReadFromConfiguration() {
        CatalogConfig config = config("10.20.0.0/16, fd12:3456::/48,127.0.0.1").getConfigMapping(CatalogConfig.class);
        assertEquals(List.of(Cidr.of("10.20.0.0/16"), Cidr.of("fd12:3456::/48"), Cidr.of("127.0.0.1/32")),
                config.webhookAllowedNetworks().orElseThrow());
        assertEquals(Optional.empty(), new SmallRyeConfigBuilder().withMapping(CatalogConfig.class)
                .withConverter(Duration.class, 100, new DurationConverter()).build()
                .getConfigMapping(CatalogConfig.class).webhookAllowedNetworks(), "none by default");
    }

    @Test
    void aBadAllowListStopsTheStartNamingThePropertyAndTheEntry() {
        // The same mapping validation Quarkus runs when the service starts.
        RuntimeException e = assertThrows(RuntimeException.class, () -> config("10.20.0.0/16,10.1.2.3/8"));
        String message = e.getMessage();
        assertTrue(message.contains("lgsp.catalog.webhook-allowed-networks"), message);
        assertTrue(message.contains("'10.1.2.3/8' is not a CIDR block"), message);
        assertTrue(message.contains("did you mean 10.0.0.0/8?"), message);
    }
}
