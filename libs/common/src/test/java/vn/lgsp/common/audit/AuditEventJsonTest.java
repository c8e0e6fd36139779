package vn.lgsp.common.audit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The hand-written writer is held to Jackson's bytes (the service's ObjectMapper settings, Publishers.MAPPER). */
class AuditEventJsonTest {

    private final AuditEventJson writer = new AuditEventJson();

    private static AuditEvent transaction(String path, String errorType, Integer status, Long upstreamLatency, String mode) {
        return new AuditEvent(UUID.randomUUID(), AuditEvent.TRANSACTION, Instant.now(), "routing", "req-1",
                "4bf92f3577b34da6a3ce929d0e0e4736", "HTTT-MOTCUA", "000.00.00.H01", "HTTT-HOTICH", "000.00.00.H02",
                "ho-tich", "v1", "production", "GET", path, status, 12L, upstreamLatency, 0L, 245L,
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", null, "ck_abc", errorType,
                null, null, null, null, null, null, null, null, mode);
    }

    private void assertSameAsJackson(AuditEvent event) throws Exception {
        byte[] ours = writer.write(event);
        assertNotNull(ours, "written without Jackson");
        byte[] jackson = Publishers.MAPPER.writeValueAsBytes(event);
        assertArrayEquals(jackson, ours, () -> "\njackson: " + new String(jackson, StandardCharsets.UTF_8)
                + "\nours:    " + new String(ours, StandardCharsets.UTF_8));
    }

    @Test
    void aTransactionIsWrittenByteForByteAsJacksonWritesIt() throws Exception {
        assertSameAsJackson(transaction("/ho-tich/v1/so-ho-tich", null, 200, 9L, null));
        assertSameAsJackson(transaction("/ho-tich/v1/x", "rate-limited", 429, null, AuditEvent.MODE_SYNC));
        // instants with and without a fraction of a second
        assertSameAsJackson(new AuditEvent(UUID.randomUUID(), AuditEvent.ALERT, Instant.ofEpochSecond(1_795_000_000L),
                "routing", null, null, null, null, "HTTT-HOTICH", null, "ho-tich", "v1", null, null, null, null, null,
                null, null, null, null, null, null, "upstream-unreachable", null, "upstream.down", null, null, null,
                null, null, "Provider upstream http://10.0.0.5:8080 is unreachable (Connection refused)"));
        assertSameAsJackson(new AuditEvent(UUID.randomUUID(), "transaction", Instant.ofEpochSecond(1_795_000_000L, 120_000_000L),
                "routing", "r", null, null, null, null, null, null, null, null, null, null, 0, 0L, 0L, 0L, 0L,
                null, null, null, null, null, null, null, null, null, null, null, null));
    }

    @Test
    void instantsAreWrittenAsJacksonWritesThem() throws Exception {
        Random random = new Random(7);
        long[] nanos = {0, 5_000_000, 120_000_000, 999_000, 123_456_000, 1, 999_999_999, 100};
        for (int n = 0; n < 2000; n++) {
            // years 0000 to 9999, and every fraction shape (none, milli, micro, nano)
            long second = -62_167_219_200L + (long) (random.nextDouble() * 315_537_897_599L);
            Instant at = Instant.ofEpochSecond(second, n < nanos.length ? nanos[n] : random.nextInt(1_000_000_000));
            assertSameAsJackson(new AuditEvent(UUID.randomUUID(), "transaction", at, "routing", "r", null, null, null, null,
                    null, null, null, null, null, null, 200, 0L, 0L, 0L, 0L, null, null, null, null, null, null, null, null,
                    null, null, null, null));
        }
        // outside four-digit years Instant writes a sign and more digits
        assertSameAsJackson(new AuditEvent(UUID.randomUUID(), "transaction", Instant.ofEpochSecond(253_402_300_800L),
                "routing", "r", null, null, null, null, null, null, null, null, null, null, 200, 0L, 0L, 0L, 0L, null,
                null, null, null, null, null, null, null, null, null, null, null));
    }

    @Test
    void textIsEscapedAsJacksonEscapesIt() throws Exception {
        assertSameAsJackson(transaction("/dan-cu/v1/công-dân/\"quoted\"\\back\u0000\u0001\b\t\n\f\r\u001f\u007f/€/ü", null, 200, 1L, null));
        Random random = new Random(42);
        for (int n = 0; n < 2000; n++) {
            StringBuilder path = new StringBuilder("/s/v1/");
            for (int i = 0; i < 20; i++) {
                char c;
                do {
                    c = (char) (random.nextBoolean() ? random.nextInt(0x80) : random.nextInt(0xD800));
                } while (Character.isSurrogate(c));
                path.append(c);
            }
            assertSameAsJackson(transaction(path.toString(), null, 200, 1L, null));
        }
        // longer than the writer's initial buffer, with escapes and multi-byte characters throughout
        assertSameAsJackson(transaction("/s/v1/" + "công-dân\u0001\"".repeat(800), null, 200, 1L, null));
    }

    @Test
    void eventsJacksonMustWriteAreLeftToIt() {
        // an admin action's before/after documents, and text with surrogates (Jackson checks their pairing)
        AuditEvent admin = AuditEvent.adminAction("catalog", "r", "operator", "service.create", "service", "ho-tich",
                "000.00.00.H01", null, Publishers.MAPPER.createObjectNode().put("status", "draft"));
        assertNull(writer.write(admin));
        assertNull(writer.write(transaction("/s/v1/\uD83D\uDE00", null, 200, 1L, null)));
        // and the writer is usable again afterwards
        assertEquals('{', (char) writer.write(transaction("/s/v1/x", null, 200, 1L, null))[0]);
    }
}
