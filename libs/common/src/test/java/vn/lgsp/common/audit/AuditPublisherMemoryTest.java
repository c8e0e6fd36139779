package vn.lgsp.common.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vn.lgsp.common.audit.Publishers.await;
import static vn.lgsp.common.audit.Publishers.settings;
import static vn.lgsp.common.audit.Publishers.transaction;
import static vn.lgsp.common.audit.Publishers.transactions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Without a spool directory the publisher behaves as it always did: a bounded buffer in memory. */
class AuditPublisherMemoryTest {

    private FakeAudit audit;
    private AuditPublisher publisher;

    @AfterEach
    void stop() {
        if (publisher != null) {
            publisher.stop();
        }
        if (audit != null) {
            audit.close();
        }
    }

    @Test
    void withoutASpoolEventsAuditRefusesAsInvalidAreCountedAndTheRestIsDelivered() throws IOException {
        audit = FakeAudit.started();
        audit.poison("\"req-3\"");
        publisher = Publishers.start(settings().batchSize(20), audit);
        transactions(30).forEach(e -> assertTrue(publisher.offer(e)));

        await(Duration.ofSeconds(10), () -> publisher.pending() == 0, () -> publisher.pending() + " pending");
        assertEquals(29, audit.events().size(), "all but the invalid one");
        assertTrue(audit.events().stream().noneMatch(raw -> raw.contains("\"req-3\"")));
        assertEquals(1, publisher.rejectedCount());
    }

    @Test
    void theBufferHoldsBufferSizeEventsThenRefusesAndRoomIsWhatIsLeft() throws IOException {
        audit = FakeAudit.started();
        publisher = Publishers.start(settings().enabled(false).bufferSize(10), audit);
        List<AuditEvent> events = transactions(10);
        for (int i = 0; i < 10; i++) {
            assertEquals(10 - i, publisher.room());
            assertTrue(publisher.offer(events.get(i)));
        }
        assertEquals(0, publisher.room());
        assertFalse(publisher.hasCapacity());
        assertFalse(publisher.offer(transaction(10)));
        assertEquals(1, publisher.refusedCount());
        assertEquals(10, publisher.pending());
        assertEquals(events, publisher.snapshot());
        assertTrue(publisher.spoolDir().isEmpty());
        assertEquals(0, publisher.spoolBytes());
    }

    @Test
    void eventsWaitInMemoryWhileAuditIsDownAndArriveAsTheirJsonOnceItIsBack() throws IOException {
        audit = FakeAudit.down();
        publisher = Publishers.start(settings().bufferSize(100).batchSize(4), audit);
        List<AuditEvent> events = transactions(10);
        events.forEach(e -> assertTrue(publisher.offer(e)));
        await(Duration.ofSeconds(5), () -> !publisher.auditReachable(), () -> "a delivery was attempted");
        assertEquals(10, publisher.pending(), "a batch that failed is still pending");
        assertEquals(90, publisher.room(), "room = buffer size - pending, batches in flight included");

        audit.up();
        await(Duration.ofSeconds(15), () -> audit.events().size() >= 10, () -> audit.events().size() + " of 10 arrived");
        assertEquals(events.stream().map(Publishers::json).sorted().toList(), audit.events().stream().sorted().toList());
        await(Duration.ofSeconds(2), () -> publisher.pending() == 0, () -> "pending " + publisher.pending());
        assertEquals(100, publisher.room());
        assertEquals(10, publisher.sentCount());
    }

    @Test
    void nothingIsWrittenToDisk() throws IOException {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long before = count(tmp);
        audit = FakeAudit.down();
        publisher = Publishers.start(settings().bufferSize(100).drainTimeout(Duration.ofMillis(100)), audit);
        transactions(20).forEach(publisher::offer);
        assertEquals(before, count(tmp));
        assertEquals(0, publisher.spoolSegments());
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.count();
        }
    }
}
