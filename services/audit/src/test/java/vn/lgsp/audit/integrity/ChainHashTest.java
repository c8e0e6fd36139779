package vn.lgsp.audit.integrity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import vn.lgsp.audit.integrity.service.ChainHash;
import vn.lgsp.common.audit.AuditEvent;

/**
 * The chain hash is written straight as bytes for speed; it must stay exactly the documented String form
 * ({@code SHA-256(prevHash + "|" + canonical)}), or records already stored would no longer verify.
 */
class ChainHashTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String reference(String prev, LocalDate day, long seq, Instant receivedAt, AuditEvent e) {
        return ChainHash.sha256Hex(prev + "|" + ChainHash.canonical(day, seq, receivedAt, e));
    }

    private static void assertSameAsReference(String prev, LocalDate day, long seq, Instant receivedAt, AuditEvent e) {
        assertEquals(reference(prev, day, seq, receivedAt, e), ChainHash.hash(prev, day, seq, receivedAt, e),
                () -> "canonical form: " + ChainHash.canonical(day, seq, receivedAt, e));
    }

    private static String text(Random random, int max) {
        if (random.nextInt(6) == 0) {
            return null;
        }
        StringBuilder s = new StringBuilder();
        int n = random.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(10);
            if (random.nextInt(800) == 0) {
                s.appendCodePoint(0x1F600 + random.nextInt(50));  // a surrogate pair (rare): the String form
            } else if (kind < 6) {
                s.append((char) (0x20 + random.nextInt(0x60)));  // printable ASCII, quotes and backslashes included
            } else if (kind < 7) {
                s.append((char) random.nextInt(0x20));  // control characters
            } else {
                s.append("đăâêôơưĐĂ€ü".charAt(random.nextInt(11)));  // two- and three-byte UTF-8
            }
        }
        return s.toString();
    }

    private static Long number(Random random) {
        return random.nextInt(5) == 0 ? null : (long) random.nextInt(Integer.MAX_VALUE) * random.nextInt(1000);
    }

    private static AuditEvent random(Random random) {
        long second = -62_167_219_200L + (long) (random.nextDouble() * 315_537_897_599L);
        int[] nanos = {0, 5_000_000, 123_456_000, 1, random.nextInt(1_000_000_000)};
        Instant occurred = Instant.ofEpochSecond(second, nanos[random.nextInt(nanos.length)]);
        return new AuditEvent(random.nextInt(10) == 0 ? null : UUID.randomUUID(), text(random, 12), occurred,
                text(random, 10), text(random, 36), text(random, 32), text(random, 20), text(random, 16),
                text(random, 20), text(random, 16), text(random, 16), text(random, 4), text(random, 10),
                text(random, 6), text(random, 60), random.nextInt(4) == 0 ? null : random.nextInt(600), number(random),
                number(random), number(random), number(random), text(random, 64), text(random, 64), text(random, 20),
                text(random, 20), text(random, 20), text(random, 20), text(random, 20), text(random, 20),
                text(random, 16), null, null, text(random, 100), random.nextBoolean() ? null : "async");
    }

    @Test
    void theFastHashIsTheDocumentedStringFormOnRandomRecords() {
        Random random = new Random(11);
        String prev = ChainHash.genesis(LocalDate.of(2026, 11, 23));
        int fast = 0;
        for (int i = 0; i < 3000; i++) {
            LocalDate day = LocalDate.of(2000 + random.nextInt(60), 1 + random.nextInt(12), 1 + random.nextInt(28));
            Instant received = Instant.ofEpochSecond(946_684_800L + random.nextInt(1_900_000_000),
                    random.nextInt(1_000_000) * 1000);
            AuditEvent e = random(random);
            long seq = random.nextInt(1_000_000) + 1L;
            assertSameAsReference(prev, day, seq, received, e);
            byte[] bytes = ChainHash.fastInput(prev, day, seq, received, e);
            if (bytes != null) {
                fast++;
                String expected = prev + "|" + ChainHash.canonical(day, seq, received, e);
                assertArrayEquals(expected.getBytes(StandardCharsets.UTF_8), bytes, () -> "expected " + expected
                        + "\nwritten  " + new String(bytes, StandardCharsets.UTF_8));
            }
            prev = reference(prev, day, i + 1, received, e);
        }
        // most random records have no surrogate pair: the fast path itself was compared, not only the fallback
        assertTrue(fast > 1000, "fast path taken " + fast + " times of 3000");
    }

    @Test
    void aGatewayRecordTakesTheFastPath() {
        LocalDate day = LocalDate.of(2026, 11, 23);
        AuditEvent call = new AuditEvent(UUID.randomUUID(), AuditEvent.TRANSACTION, Instant.now(), "routing",
                "req-1", "4bf92f3577b34da6a3ce929d0e0e4736", "HTTT-MOTCUA", "000.00.00.H01", "HTTT-HOTICH",
                "000.00.00.H02", "ho-tich", "v1", "production", "GET", "/ho-tich/v1/công-dân?id=1", 200, 12L, 9L, 0L,
                245L, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", null, "ck_abc", null, null,
                null, null, null, null, null, null, null, "sync");
        Instant received = Instant.now();
        assertNotNull(ChainHash.fastInput(ChainHash.genesis(day), day, 1, received, call));
        assertSameAsReference(ChainHash.genesis(day), day, 1, received, call);
    }

    @Test
    void recordsWithSummariesOrUnusualInputsTakeTheStringForm() {
        LocalDate day = LocalDate.of(2026, 11, 23);
        Instant at = Instant.parse("2026-11-23T10:15:30.123456Z");
        AuditEvent admin = AuditEvent.adminAction("catalog", "r-1", "operator", "service.update", "service", "ho-tich",
                "000.00.00.H01", MAPPER.createObjectNode().put("status", "draft").put("n", 1.50),
                MAPPER.createObjectNode().put("status", "published"));
        assertSameAsReference(ChainHash.genesis(day), day, 1, at, admin);
        assertNull(ChainHash.fastInput(ChainHash.genesis(day), day, 1, at, admin));
        // a year beyond 9999 (Instant writes a sign), a null or non-ASCII previous hash
        AuditEvent far = new AuditEvent(UUID.randomUUID(), "transaction", Instant.ofEpochSecond(253_402_300_800L),
                "routing", "r", null, null, null, null, null, null, null, null, "GET", "/s/v1/x", 200, 1L, null, 0L,
                0L, null, null, null, null, null, null, null, null, null, null, null, null);
        assertSameAsReference("abc", LocalDate.of(10000, 1, 1), 7, at, far);
        assertSameAsReference(null, day, 7, at, far);
        assertSameAsReference("đ", day, 7, at, far);
        // and each field still counts: the same record one position later hashes differently
        assertNotEquals(ChainHash.hash("abc", day, 7, at, far), ChainHash.hash("abc", day, 8, at, far));
    }
}
