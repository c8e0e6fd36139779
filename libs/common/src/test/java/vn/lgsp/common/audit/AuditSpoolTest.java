package vn.lgsp.common.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vn.lgsp.common.audit.Publishers.await;
import static vn.lgsp.common.audit.Publishers.json;
import static vn.lgsp.common.audit.Publishers.settings;
import static vn.lgsp.common.audit.Publishers.transaction;
import static vn.lgsp.common.audit.Publishers.transactions;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The publisher with a spool directory, end to end: real segment files in a fresh directory under target/, real
 * HTTP to a {@link FakeAudit}, the real token client.
 */
class AuditSpoolTest {

    /** A fresh spool directory per test, under target/ (surefire's java.io.tmpdir), removed afterwards. */
    private Path dir;
    private FakeAudit audit;
    private final List<AuditPublisher> running = new ArrayList<>();

    @BeforeEach
    void freshDirectory() throws IOException {
        Path base = Path.of(System.getProperty("java.io.tmpdir"));
        Files.createDirectories(base);
        dir = Files.createTempDirectory(base, "audit-spool-");
    }

    @AfterEach
    void stopEverything() throws IOException {
        new ArrayList<>(running).forEach(this::stop);
        if (audit != null) {
            audit.close();
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private AuditPublisher start(Publishers.Settings s) {
        AuditPublisher p = Publishers.start(s, audit);
        running.add(p);
        return p;
    }

    private void stop(AuditPublisher p) {
        running.remove(p);
        p.stop();
    }

    @Test
    void eventsReachAuditThroughTheSpoolAsTheirExactJsonAndTheirSegmentsAreDeleted() throws IOException {
        audit = FakeAudit.started();
        AuditPublisher p = start(settings().spool(dir));
        List<AuditEvent> events = transactions(50);
        events.forEach(e -> assertTrue(p.offer(e)));

        await(Duration.ofSeconds(5), () -> audit.events().size() >= 50, () -> audit.events().size() + " of 50 arrived");
        // Byte for byte the JSON the memory-only publisher sends (Jackson, the service's ObjectMapper), once each.
        assertEquals(sorted(events.stream().map(Publishers::json).toList()), sorted(audit.events()));
        await(Duration.ofSeconds(2), () -> segmentFiles().isEmpty() && p.spoolBytes() == 0 && p.spoolSegments() == 0,
                () -> "segments left after delivery: " + segmentFiles() + ", " + p.spoolBytes() + " bytes");
        assertEquals(0, p.pending());
        assertEquals(50, p.sentCount());
        assertEquals(Set.of(".lock"), names(dir), "only the lock file stays");
    }

    @Test
    void whileAuditIsDownEventsWaitOnDiskAndEveryOneArrivesOnceItIsBack() throws IOException {
        audit = FakeAudit.down();
        AuditPublisher p = start(settings().spool(dir).batchSize(50).senders(3).segmentBytes(16 * 1024));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        p.registerMetrics(meters);
        List<AuditEvent> events = transactions(2000);
        for (AuditEvent e : events) {
            await(Duration.ofSeconds(2), () -> p.room() > 0, () -> "no room while the spool is far from max-bytes");
            assertTrue(p.offer(e));
        }

        await(Duration.ofSeconds(5), () -> linesOnDisk() == 2000, () -> linesOnDisk() + " of 2000 lines on disk");
        await(Duration.ofSeconds(5), () -> !p.auditReachable(), () -> "a delivery was attempted");
        assertEquals(List.of(), audit.events());
        assertEquals(2000, p.pending());
        assertTrue(segmentFiles().size() > 10, "cut into segments of 16 KiB: " + segmentFiles().size());
        assertEquals(bytesOnDisk(), p.spoolBytes());
        assertEquals(2000.0, meters.get("lgsp.audit.publisher.pending").gauge().value());
        assertEquals((double) bytesOnDisk(), meters.get("lgsp.audit.publisher.spool").gauge().value());
        assertEquals((double) segmentFiles().size(), meters.get("lgsp.audit.publisher.spool.segments").gauge().value());

        audit.up();
        await(Duration.ofSeconds(30), () -> audit.events().size() >= 2000, () -> audit.events().size() + " of 2000 arrived");
        Map<String, Integer> times = new HashMap<>();
        audit.events().forEach(raw -> times.merge(eventId(raw), 1, Integer::sum));
        assertEquals(ids(events), times.keySet(), "every event arrives");
        assertEquals(Set.of(1), new TreeSet<>(times.values()), "refused connections are never counted as delivered twice");
        await(Duration.ofSeconds(5), () -> segmentFiles().isEmpty() && p.pending() == 0 && p.spoolBytes() == 0,
                () -> "left: " + segmentFiles() + ", pending " + p.pending());
        assertTrue(p.auditReachable());
        assertEquals(0.0, meters.get("lgsp.audit.publisher.pending").gauge().value());
    }

    @Test
    void eventsAuditRefusesAsInvalidAreSetAsideWithItsProblemAndTheRestOfTheirBatchIsDelivered() throws IOException {
        audit = FakeAudit.started();
        audit.poison("\"req-3\"");
        AuditPublisher p = start(settings().spool(dir).batchSize(20));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        p.registerMetrics(meters);
        List<AuditEvent> events = transactions(50);
        events.forEach(e -> assertTrue(p.offer(e)));

        await(Duration.ofSeconds(10), () -> p.pending() == 0, () -> p.pending() + " pending");
        Map<String, Integer> times = new HashMap<>();
        audit.events().forEach(raw -> times.merge(eventId(raw), 1, Integer::sum));
        Set<String> expected = events.stream().filter(e -> !"req-3".equals(e.requestId())).map(e -> e.eventId().toString())
                .collect(Collectors.toSet());
        assertEquals(expected, times.keySet(), "every other event of the batch arrives");
        assertEquals(Set.of(1), new TreeSet<>(times.values()));
        List<String> aside = Files.readAllLines(dir.resolve(RejectedEvents.FILE));
        assertEquals(1, aside.size(), "one line per refused event: " + aside);
        var line = Publishers.MAPPER.readTree(aside.get(0));
        assertEquals("req-3", line.path("event").path("requestId").asText());
        assertTrue(line.path("problem").path("errors").get(0).path("field").asText().matches("events\\[\\d+]\\.path"),
                "audit's problem kept with it: " + line);
        assertEquals(1, p.rejectedCount());
        assertEquals(1.0, meters.get("lgsp.audit.publisher.rejected").functionCounter().count());
        await(Duration.ofSeconds(2), () -> segmentFiles().isEmpty(), () -> "segments left: " + segmentFiles());
    }

    @Test
    void beyondTheBoundForSetAsideEventsARefusedBatchIsRetriedAndHoldsTheBacklogUntilAuditTakesIt() throws IOException {
        audit = FakeAudit.started();
        audit.poison("\"req-3\"");
        AuditPublisher p = start(settings().spool(dir).batchSize(20).rejectedMaxBytes(10));
        List<AuditEvent> events = transactions(20);
        events.forEach(e -> assertTrue(p.offer(e)));

        await(Duration.ofSeconds(5), () -> !p.auditReachable(), () -> "the refused batch counts as a failed delivery");
        assertEquals(List.of(), audit.events(), "nothing of the refused batch is delivered");
        assertEquals(20, p.pending());
        assertEquals(0, p.rejectedCount());
        assertFalse(Files.exists(dir.resolve(RejectedEvents.FILE)), "nothing set aside beyond the bound");

        audit.poison(null); // audit fixed (or upgraded): the same batch is accepted as it is
        await(Duration.ofSeconds(10), () -> p.pending() == 0, () -> p.pending() + " pending");
        assertEquals(20, audit.events().size());
    }

    @Test
    void aNewPublisherOnTheSameDirectorySendsWhatTheLastOneLeft() throws IOException {
        audit = FakeAudit.down();
        AuditPublisher first = start(settings().spool(dir).drainTimeout(Duration.ofMillis(300)));
        List<AuditEvent> events = transactions(300);
        events.forEach(e -> assertTrue(first.offer(e)));
        // at once: whatever is still in the hand-off queue must reach the disk, not be lost with the process
        stop(first);
        assertFalse(first.offer(transaction(1)), "a stopped publisher takes nothing more");
        assertEquals(300, linesOnDisk());

        AuditPublisher counting = start(settings().spool(dir).enabled(false));
        assertEquals(300, counting.pending(), "recovered segments count as pending");
        assertEquals(ids(events), counting.snapshot().stream().map(e -> e.eventId().toString()).collect(Collectors.toSet()));
        assertEquals(1000, counting.room(), "a recovered backlog far below max-bytes leaves the hand-off free");
        stop(counting);

        audit.up();
        AuditPublisher second = start(settings().spool(dir));
        await(Duration.ofSeconds(10), () -> audit.events().size() >= 300, () -> audit.events().size() + " of 300 arrived");
        assertEquals(ids(events), audit.events().stream().map(AuditSpoolTest::eventId).collect(Collectors.toSet()));
        await(Duration.ofSeconds(5), () -> segmentFiles().isEmpty() && second.pending() == 0, () -> "left: " + segmentFiles());
    }

    /**
     * Tests read what a publisher holds through snapshot(), often twice in a row. An event the writer had just taken
     * from the hand-off queue but not yet flushed to its file used to be in neither for up to ~20 ms, so a second
     * read could miss what the first had seen (routing's MaintenanceAlertTest failed so, once).
     */
    @Test
    void aSnapshotHoldsEveryEventOfferedBeforeItWhileTheWriterIsBusy() throws IOException {
        audit = FakeAudit.down();
        AuditPublisher p = start(settings().spool(dir).enabled(false));
        List<AuditEvent> events = transactions(400);
        for (int i = 0; i < events.size(); i++) {
            assertTrue(p.offer(events.get(i)));
            if (i % 2 == 1) {
                // right after an offer, when the writer is most likely between the queue and the file
                assertEquals(i + 1, p.snapshot().size(), "events offered so far, all seen");
            } else {
                Thread.onSpinWait();
            }
            if (i % 40 == 0) {
                sleepQuietly(12); // let the writer take a batch while the next offers arrive
            }
        }
        assertEquals(ids(events), p.snapshot().stream().map(e -> e.eventId().toString()).collect(Collectors.toSet()));
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void duringShutdownNoCallIsAdmittedButTheRecordsOfCallsInFlightAreStillTakenAndDelivered() throws Exception {
        audit = FakeAudit.down();
        AuditPublisher p = start(settings().spool(dir).drainTimeout(Duration.ofSeconds(5)));
        AuditEvent before = transaction(0);
        assertTrue(p.offer(before));
        running.remove(p);
        Thread stopping = new Thread(p::stop, "sigterm");
        stopping.start();
        await(Duration.ofSeconds(2), () -> p.room() == 0, () -> "shutdown began");
        AuditEvent inFlight = transaction(1);
        assertTrue(p.offerAdmitted(inFlight), "a call let in before shutdown is still recorded");
        audit.up();
        stopping.join(10_000);
        assertFalse(stopping.isAlive());
        assertEquals(Set.of(json(before), json(inFlight)), Set.copyOf(audit.events()), "both delivered by the drain");
        assertEquals(List.of(), segmentFiles());
        assertFalse(p.offer(transaction(2)), "after the drain nothing more is taken");
    }

    @Test
    void aLineTornByACrashIsSkippedWithAWarningThatSaysHowManyBytes() throws IOException {
        audit = FakeAudit.down();
        List<AuditEvent> events = transactions(4);
        String whole = json(events.get(0)) + "\n" + json(events.get(1)) + "\n" + json(events.get(2)) + "\n";
        // the process died in the middle of writing a line
        Files.writeString(dir.resolve("seg-0000000000000007.jsonl"), whole + json(transaction(99)).substring(0, 40));
        // the node died: the file's last blocks were never written and read back as zeros
        Files.write(dir.resolve("seg-0000000000000008.jsonl"), concat((json(events.get(3)) + "\n").getBytes(StandardCharsets.UTF_8),
                new byte[4096]));
        List<String> warnings = new ArrayList<>();
        Handler capture = capture(warnings);

        AuditPublisher counting;
        try {
            counting = start(settings().spool(dir).enabled(false));
        } finally {
            java.util.logging.Logger.getLogger(AuditSpool.class.getName()).removeHandler(capture);
        }
        assertEquals(4, counting.pending());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("seg-0000000000000007.jsonl") && w.contains("40 bytes")), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("seg-0000000000000008.jsonl") && w.contains("4096 bytes")), warnings.toString());
        assertEquals(whole.getBytes(StandardCharsets.UTF_8).length, Files.size(dir.resolve("seg-0000000000000007.jsonl")),
                "the torn tail is cut off, so the segment reads cleanly");
        AuditEvent next = transaction(5);
        assertTrue(counting.offer(next));
        await(Duration.ofSeconds(2), () -> Files.exists(dir.resolve("seg-0000000000000009.jsonl")),
                () -> "new events go to a segment after the recovered ones: " + names(dir));
        stop(counting);

        audit.up();
        start(settings().spool(dir));
        await(Duration.ofSeconds(10), () -> audit.events().size() >= 5, () -> audit.events().size() + " of 5 arrived");
        Set<String> expected = ids(events);
        expected.add(next.eventId().toString());
        assertEquals(expected, audit.events().stream().map(AuditSpoolTest::eventId).collect(Collectors.toSet()));
        assertEquals(5, audit.events().size(), "the torn event is not sent, the others once");
    }

    @Test
    void onceTheSpoolHoldsMaxBytesOffersAreRefusedUntilAuditTakesSome() throws IOException {
        audit = FakeAudit.down();
        long maxBytes = 20_000;
        AuditPublisher p = start(settings().spool(dir).maxBytes(maxBytes).segmentBytes(4096).bufferSize(100));
        int accepted = 0;
        while (true) {
            if (p.offer(transaction(accepted))) {
                accepted++;
                assertTrue(accepted < 10_000, "the spool never filled");
                continue;
            }
            if (p.spoolBytes() >= maxBytes) {
                break;
            }
            await(Duration.ofSeconds(2), () -> p.room() > 0 || p.spoolBytes() >= maxBytes, () -> "the writer is stuck");
        }
        int total = accepted;
        await(Duration.ofSeconds(5), () -> linesOnDisk() == total, () -> linesOnDisk() + " of " + total + " on disk");
        assertEquals(0, p.room());
        assertFalse(p.offer(transaction(-1)));
        assertTrue(p.refusedCount() >= 2);
        long line = json(transaction(0)).getBytes(StandardCharsets.UTF_8).length + 1;
        // accepted while the files were below max-bytes: a full hand-off (100) and what the writer had just taken
        // from it (at most 100 here)
        assertTrue(p.spoolBytes() >= maxBytes && p.spoolBytes() < maxBytes + 2 * 100 * (line + 16),
                "over max-bytes by at most the events on their way: " + p.spoolBytes());
        assertEquals(bytesOnDisk(), p.spoolBytes());
        // The record of a call the gateway let in while there was room is kept all the same: it has been served.
        AuditEvent admitted = transaction(-2);
        assertTrue(p.offerAdmitted(admitted));
        await(Duration.ofSeconds(5), () -> linesOnDisk() == total + 1, () -> linesOnDisk() + " on disk");

        audit.up();
        await(Duration.ofSeconds(15), () -> p.room() == 100, () -> "room " + p.room() + ", " + p.spoolBytes() + " bytes");
        AuditEvent after = transaction(10_001);
        assertTrue(p.offer(after));
        await(Duration.ofSeconds(5), () -> audit.events().size() >= total + 2, () -> audit.events().size() + " arrived");
        assertTrue(audit.events().stream().anyMatch(raw -> raw.equals(json(after))));
        assertTrue(audit.events().stream().anyMatch(raw -> raw.equals(json(admitted))));
    }

    @Test
    void sendersKeepUpWithALaggingAuditWithSeveralBatchesOfOneSegmentInFlight() throws IOException {
        audit = FakeAudit.started();
        audit.delay(100);
        AuditPublisher p = start(settings().spool(dir).batchSize(10).senders(4).segmentBytes(1024 * 1024));
        List<AuditEvent> events = transactions(400);
        events.forEach(e -> assertTrue(p.offer(e)));
        await(Duration.ofSeconds(20), () -> audit.events().size() >= 400, () -> audit.events().size() + " of 400 arrived");
        assertEquals(ids(events), audit.events().stream().map(AuditSpoolTest::eventId).collect(Collectors.toSet()));
        assertEquals(400, audit.events().size());
        assertTrue(audit.batches() >= 40, "batches of at most 10: " + audit.batches());
        await(Duration.ofSeconds(5), () -> segmentFiles().isEmpty(), () -> "left: " + segmentFiles());
    }

    @Test
    void aSecondPublisherCannotShareTheDirectory() throws IOException {
        audit = FakeAudit.started();
        start(settings().spool(dir));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> start(settings().spool(dir)));
        assertTrue(e.getMessage().contains("in use"), e.getMessage());
    }

    @Test
    void aDirectoryThatCannotBeCreatedStopsTheStartWithAMessageNamingTheSetting() throws IOException {
        audit = FakeAudit.started();
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> start(settings().spool(file.resolve("spool"))));
        assertTrue(e.getMessage().contains("lgsp.platform.audit.spool.dir"), e.getMessage());
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private List<Path> segmentFiles() {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().matches("seg-\\d{16}\\.jsonl")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long linesOnDisk() {
        long n = 0;
        for (Path f : segmentFiles()) {
            try {
                for (byte b : Files.readAllBytes(f)) {
                    if (b == '\n') {
                        n++;
                    }
                }
            } catch (java.nio.file.NoSuchFileException e) {
                // delivered meanwhile
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return n;
    }

    private long bytesOnDisk() {
        long n = 0;
        for (Path f : segmentFiles()) {
            try {
                n += Files.size(f);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return n;
    }

    private static Set<String> names(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(f -> f.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String eventId(String rawJson) {
        try {
            return Publishers.MAPPER.readTree(rawJson).path("eventId").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> ids(List<AuditEvent> events) {
        return events.stream().map(e -> e.eventId().toString()).collect(Collectors.toCollection(java.util.HashSet::new));
    }

    private static List<String> sorted(List<String> l) {
        return l.stream().sorted().toList();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static Handler capture(List<String> warnings) {
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                    synchronized (warnings) {
                        warnings.add(r.getParameters() == null ? r.getMessage()
                                : String.format(r.getMessage(), r.getParameters()));
                    }
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger.getLogger(AuditSpool.class.getName()).addHandler(h);
        return h;
    }
}
