package vn.lgsp.common.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import vn.lgsp.common.client.PlatformConfig;
import vn.lgsp.common.client.ServiceTokens;

/** Real publishers outside CDI, wired as Quarkus wires them, against a {@link FakeAudit}. */
final class Publishers {

    /** Configured as Quarkus configures its ObjectMapper for the services (ISO instants, modules found). */
    static final ObjectMapper MAPPER = JsonMapper.builder().findAndAddModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    private Publishers() {
    }

    record Spool(Optional<Path> dir, long maxBytes, long segmentBytes, Duration fsyncInterval)
            implements PlatformConfig.Spool {
    }

    record Audit(boolean enabled, int bufferSize, int batchSize, int senders, Duration flushInterval,
            Duration drainTimeout, Spool spool) implements PlatformConfig.Audit {
    }

    record Config(String authUrl, String auditUrl, Audit audit) implements PlatformConfig {
        @Override
        public String registryUrl() {
            return "http://127.0.0.1:9";
        }

        @Override
        public String catalogUrl() {
            return "http://127.0.0.1:9";
        }

        @Override
        public Optional<String> clientId() {
            return Optional.of("routing");
        }

        @Override
        public Optional<String> clientSecret() {
            return Optional.of("routing-secret");
        }

        @Override
        public Duration callTimeout() {
            return Duration.ofSeconds(2);
        }

        @Override
        public Revocations revocations() {
            return new Revocations() {
                @Override
                public boolean enabled() {
                    return false;
                }

                @Override
                public Duration interval() {
                    return Duration.ofSeconds(2);
                }
            };
        }
    }

    /** Settings of one publisher; the defaults are small and quick, for tests. */
    static final class Settings {
        boolean enabled = true;
        int bufferSize = 1000;
        int batchSize = 100;
        int senders = 2;
        Duration flushInterval = Duration.ofMillis(50);
        Duration drainTimeout = Duration.ofSeconds(2);
        Path dir;
        long maxBytes = 64L * 1024 * 1024;
        long segmentBytes = 64 * 1024;
        Duration fsyncInterval = Duration.ofMillis(100);
        long rejectedMaxBytes = 64L * 1024 * 1024;

        Settings enabled(boolean v) {
            enabled = v;
            return this;
        }

        Settings bufferSize(int v) {
            bufferSize = v;
            return this;
        }

        Settings batchSize(int v) {
            batchSize = v;
            return this;
        }

        Settings senders(int v) {
            senders = v;
            return this;
        }

        Settings drainTimeout(Duration v) {
            drainTimeout = v;
            return this;
        }

        Settings spool(Path v) {
            dir = v;
            return this;
        }

        Settings maxBytes(long v) {
            maxBytes = v;
            return this;
        }

        Settings rejectedMaxBytes(long v) {
            rejectedMaxBytes = v;
            return this;
        }

        Settings segmentBytes(long v) {
            segmentBytes = v;
            return this;
        }

        Config config(FakeAudit audit) {
            return new Config(audit.authUrl(), audit.auditUrl(), new Audit(enabled, bufferSize, batchSize, senders,
                    flushInterval, drainTimeout, new Spool(Optional.ofNullable(dir), maxBytes, segmentBytes,
                            fsyncInterval)));
        }
    }

    static Settings settings() {
        return new Settings();
    }

    /** A started publisher, as at a service's start-up. */
    static AuditPublisher start(Settings s, FakeAudit audit) {
        AuditPublisher p = new AuditPublisher();
        p.config = s.config(audit);
        p.mapper = MAPPER;
        p.tokens = new ServiceTokens(p.config, MAPPER, "routing");
        p.rejectedMaxBytes = s.rejectedMaxBytes;
        p.start();
        return p;
    }

    /** A transaction record as the gateway makes them, with text that must survive as it is. */
    static AuditEvent transaction(int i) {
        return new AuditEvent(UUID.randomUUID(), AuditEvent.TRANSACTION, Instant.parse("2026-11-23T08:00:00.123456Z")
                .plusMillis(i), "routing", "req-" + i, "0af7651916cd43dd8448eb211c80319c", "HTTT-MOTCUA",
                "000.00.00.H01", "HTTT-HOTICH", "000.00.00.H62", "ho-tich", "v1", "production", "POST",
                "/ho-tich/v1/khai-sinh/\"Nguyễn Văn A\"\n" + i, 200, 12L, 9L, 120L, 4096L,
                "a".repeat(64), "b".repeat(64), "ck-HTTT-MOTCUA", null, null, null, null, null, null, null, null,
                null, "sync");
    }

    /** An admin action with before/after JSON. */
    static AuditEvent adminAction(int i) {
        var before = JsonNodeFactory.instance.objectNode().put("status", "draft").put("n", i);
        var after = JsonNodeFactory.instance.objectNode().put("status", "published").put("n", i);
        return AuditEvent.adminAction("catalog", "req-a" + i, "operator", "version.transition", "version",
                "ho-tich/v" + i, "000.00.00.H62", before, after);
    }

    static List<AuditEvent> transactions(int n) {
        List<AuditEvent> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(i % 10 == 9 ? adminAction(i) : transaction(i));
        }
        return out;
    }

    static String json(AuditEvent e) {
        try {
            return MAPPER.writeValueAsString(e);
        } catch (Exception x) {
            throw new IllegalStateException(x);
        }
    }

    /** Waits for a condition, polling; fails with the message (and the last value seen) at the deadline. */
    static void await(Duration within, java.util.function.BooleanSupplier condition,
            java.util.function.Supplier<String> message) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + within.toMillis() + " ms: " + message.get());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
