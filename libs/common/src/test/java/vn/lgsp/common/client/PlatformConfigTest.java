package vn.lgsp.common.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The audit spool settings as SmallRye Config (with Quarkus' converters) reads them. */
class PlatformConfigTest {

    private static PlatformConfig read(Map<String, String> properties) {
        return read(Map.of(), properties);
    }

    /** application.properties (ordinal 250) under the environment (300). */
    private static PlatformConfig read(Map<String, String> application, Map<String, String> environment) {
        SmallRyeConfig config = new SmallRyeConfigBuilder().addDefaultInterceptors().addDiscoveredConverters()
                .withMapping(PlatformConfig.class)
                .withSources(new PropertiesConfigSource(application, "application.properties", 250))
                .withSources(new PropertiesConfigSource(environment, "environment", 300)).build();
        return config.getConfigMapping(PlatformConfig.class);
    }

    @Test
    void withoutASpoolDirectoryEventsStayInMemoryAndTheBoundsHaveDefaults() {
        PlatformConfig.Spool spool = read(Map.of()).audit().spool();
        assertTrue(spool.dir().isEmpty());
        assertEquals(1L << 30, spool.maxBytes());
        assertEquals(16L << 20, spool.segmentBytes());
        assertEquals(Duration.ofSeconds(1), spool.fsyncInterval());
    }

    @Test
    void anEmptyDirectoryMeansNoSpoolEvenOverTheApplicationsDefault() {
        // what the Helm chart renders when routing.auditSpool.enabled=false: LGSP_PLATFORM_AUDIT_SPOOL_DIR=""
        assertTrue(read(Map.of("lgsp.platform.audit.spool.dir", "/var/lib/lgsp/audit-spool"),
                Map.of("lgsp.platform.audit.spool.dir", "")).audit().spool().dir().isEmpty());
        assertEquals(Path.of("/var/lib/lgsp/audit-spool"), read(Map.of("lgsp.platform.audit.spool.dir",
                "/var/lib/lgsp/audit-spool"), Map.of()).audit().spool().dir().orElseThrow());
    }

    @Test
    void aDirectorySwitchesTheSpoolOn() {
        PlatformConfig.Spool spool = read(Map.of("lgsp.platform.audit.spool.dir", "/var/lib/lgsp/audit-spool",
                "lgsp.platform.audit.spool.max-bytes", "2147483648", "lgsp.platform.audit.spool.fsync-interval", "250ms"))
                .audit().spool();
        assertEquals(Path.of("/var/lib/lgsp/audit-spool"), spool.dir().orElseThrow());
        assertEquals(2147483648L, spool.maxBytes());
        assertEquals(Duration.ofMillis(250), spool.fsyncInterval());
    }
}
