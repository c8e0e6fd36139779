package vn.lgsp.common.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * Audit events on local disk between the request path and audit, as an X-Road security server keeps its message
 * log: the gateway keeps serving while audit ingests more slowly than it produces, up to a bounded backlog.
 * <p>
 * Callers offer into a bounded in-memory hand-off queue and return at once (the gateway offers on Vert.x event
 * loops: no IO there). One writer thread serialises each event to one JSON line, exactly the JSON audit receives,
 * and appends it to the current segment file {@code seg-<16-digit sequence>.jsonl}. A segment is sealed (synced,
 * closed, handed to the senders) when it reaches {@code segmentBytes}, or when its oldest line has waited
 * {@link #LINGER} while the senders have nothing else to take, so delivery stays prompt at low rates and segments
 * stay large while audit lags. Senders take batches of lines from sealed segments, oldest first, and post them as
 * raw bytes; several batches of one segment may be in flight at once, and the file is deleted when audit has
 * accepted all of them. Offers are refused once the files hold {@code maxBytes}.
 * <p>
 * Durability: lines reach the file (write(2), the kernel's page cache) within {@link #FLUSH_EVERY}, which a crash
 * of the process does not lose; fsync every {@code fsyncInterval} and on every seal bounds what a crash of the node
 * can lose. At start-up the segments left in the directory are sent again from their start (audit ignores event
 * ids it already has), after cutting off an event torn by a crash mid-write.
 */
final class AuditSpool implements Backlog {

    private static final Logger LOG = Logger.getLogger(AuditSpool.class);

    /** How long a sealed-by-age segment may keep its first event before the senders get it. */
    static final Duration LINGER = Duration.ofMillis(150);
    /** Lines buffered in the writer reach the file at least this often (and whenever the writer is idle). */
    static final Duration FLUSH_EVERY = Duration.ofMillis(10);
    private static final Pattern SEGMENT = Pattern.compile("seg-(\\d{16})\\.jsonl");
    private static final String LOCK_FILE = ".lock";
    private static final int WRITE_BUFFER = 256 * 1024;
    private static final int READ_CHUNK = 256 * 1024;
    /** Events the writer takes from the hand-off at once (so also what it holds beyond the hand-off's bound). */
    static final int TAKE_AT_ONCE = 256;
    private static final byte NL = '\n';
    private static final byte[] BATCH_OPEN = "{\"events\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BATCH_CLOSE = "]}".getBytes(StandardCharsets.US_ASCII);

    private final Path dir;
    private final long maxBytes;
    private final long segmentBytes;
    private final long fsyncNanos;
    private final ObjectMapper mapper;
    /** The wire JSON of one event; never indented, so one event is one line. */
    private final ObjectWriter json;
    /** Lock-free: an offer never takes a lock nor wakes the writer, which polls it every FLUSH_EVERY. */
    private final Handoff<AuditEvent> handoff;

    // Read on every gateway call: plain atomics, never a lock or a file.
    /** Bytes in the segment files, including lines still in the writer's buffer. */
    private final AtomicLong bytes = new AtomicLong();
    /** Events taken by the writer (in a file or about to be) that audit has not accepted yet. */
    private final AtomicLong events = new AtomicLong();
    private final AtomicInteger segments = new AtomicInteger();
    /** Lines of sealed segments no sender has taken yet; zero means the senders are waiting for work. */
    private final AtomicLong unclaimed = new AtomicLong();
    private volatile boolean admitting = true;
    private volatile boolean accepting = true;
    private volatile boolean stopping;

    /** Sealed segments with lines not yet taken, oldest first: the writer adds, senders take under claimLock. */
    private final ConcurrentLinkedDeque<Segment> sealed = new ConcurrentLinkedDeque<>();
    private final Object claimLock = new Object();

    private FileChannel lockChannel;
    private FileLock lock;
    private Thread writer;
    /** The writer thread's serialiser for transactions and alerts (the same bytes as Jackson, cheaper). */
    private final AuditEventJson fastJson = new AuditEventJson();

    /**
     * Held by whoever moves events from the hand-off into the files (the writer, then the closing thread) while it
     * does, so {@link #snapshot} never sees an event between the two. Uncontended in production: tests alone read.
     */
    private final Object writing = new Object();

    // The writer thread's own state, under `writing` (the closing thread takes it over once the writer has ended).
    private long nextSequence = 1;
    private Segment current;
    private FileChannel channel;
    private final ByteBuffer out = ByteBuffer.allocate(WRITE_BUFFER);
    private long lastFlush;
    private long lastFsync;
    private boolean unsynced;

    private AuditSpool(Path dir, int handoffCapacity, long maxBytes, long segmentBytes, Duration fsyncInterval,
            ObjectMapper mapper) {
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.segmentBytes = segmentBytes;
        this.fsyncNanos = fsyncInterval.toNanos();
        this.mapper = mapper;
        this.json = mapper.writer().without(SerializationFeature.INDENT_OUTPUT);
        this.handoff = new Handoff<>(handoffCapacity);
    }

    /** Opens (creates, locks, recovers) the spool in {@code dir} and starts its writer thread. */
    static AuditSpool open(Path dir, int handoffCapacity, long maxBytes, long segmentBytes, Duration fsyncInterval,
            ObjectMapper mapper) {
        if (maxBytes <= 0 || segmentBytes <= 0) {
            throw new IllegalArgumentException("lgsp.platform.audit.spool.max-bytes and segment-bytes must be positive");
        }
        Path absolute = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(absolute);
        } catch (IOException e) {
            throw new IllegalStateException("The audit spool directory " + absolute + " cannot be created (" + e
                    + "): make it writable for this process, or unset lgsp.platform.audit.spool.dir", e);
        }
        AuditSpool spool = new AuditSpool(absolute, handoffCapacity, maxBytes, segmentBytes, fsyncInterval, mapper);
        spool.lock();
        try {
            spool.recover();
        } catch (IOException e) {
            spool.unlock();
            throw new IllegalStateException("The audit spool " + absolute + " cannot be read: " + e, e);
        }
        spool.writer = new Thread(spool::writeLoop, "lgsp-audit-spool-writer");
        spool.writer.setDaemon(true);
        spool.writer.start();
        return spool;
    }

    // ---- the request path ------------------------------------------------------------------------------------

    /**
     * Refused once the files hold max-bytes, except an admitted event: its call was let in while there was room
     * and has been served, so its record must be kept (the files pass max-bytes by such records at most).
     */
    @Override
    public boolean offer(AuditEvent event, boolean admitted) {
        return accepting && (admitted || bytes.get() < maxBytes) && handoff.offer(event);
    }

    /** Free hand-off slots, or none once the files hold max-bytes (or shutdown began). */
    @Override
    public int room() {
        return admitting && accepting && bytes.get() < maxBytes ? handoff.remainingCapacity() : 0;
    }

    @Override
    public long pending() {
        return handoff.size() + events.get();
    }

    long bytes() {
        return bytes.get();
    }

    int segments() {
        return segments.get();
    }

    Path dir() {
        return dir;
    }

    long maxBytes() {
        return maxBytes;
    }

    // ---- the senders -----------------------------------------------------------------------------------------

    @Override
    public Batch take(int maxEvents) {
        synchronized (claimLock) {
            if (sealed.isEmpty()) {
                return null;
            }
            // Sized for the batch from the oldest segment's average line and the lines waiting, so the body is not
            // copied as it grows (a thousand gateway records are ~0.7 MB: doubling from 64 KiB copied 1 MB more per
            // batch), nor a few records given room for a thousand.
            Segment oldest = sealed.peekFirst();
            long perLine = oldest == null || oldest.lines == 0 ? 1024 : oldest.bytes / oldest.lines + 1;
            long lines = Math.max(1, Math.min(maxEvents, unclaimed.get()));
            ByteArrayOutputStream body = new ByteArrayOutputStream(
                    (int) Math.min(64L * 1024 * 1024, BATCH_OPEN.length + BATCH_CLOSE.length + perLine * lines + 64));
            body.writeBytes(BATCH_OPEN);
            List<Slice> slices = new ArrayList<>(2);
            int n = 0;
            Segment reading = null;
            try {
                for (Segment s : sealed) {
                    if (n >= maxEvents) {
                        break;
                    }
                    reading = s;
                    int got = s.read(body, maxEvents - n, n == 0);
                    if (got > 0) {
                        slices.add(new Slice(s, got));
                        n += got;
                    }
                }
            } catch (IOException e) {
                // Nothing is marked as taken: the next attempt reads the same lines again from the file.
                slices.forEach(sl -> sl.segment.resetReader());
                if (reading != null) {
                    reading.resetReader();
                }
                throw new UncheckedIOException("reading the audit spool " + dir + " failed", e);
            }
            for (Slice sl : slices) {
                if (sl.segment.commit()) {
                    sealed.remove(sl.segment);
                }
            }
            unclaimed.addAndGet(-n);
            if (n == 0) {
                return null;
            }
            body.writeBytes(BATCH_CLOSE);
            int size = n;
            return new Batch(body.toByteArray(), size, () -> accepted(slices, size));
        }
    }

    private void accepted(List<Slice> slices, int n) {
        for (Slice sl : slices) {
            Segment s = sl.segment;
            if (s.accepted.addAndGet(sl.count) == s.lines) {
                delete(s);
            }
        }
        events.addAndGet(-n);
    }

    private void delete(Segment s) {
        try {
            Files.deleteIfExists(s.path);
        } catch (IOException e) {
            // Counted as gone anyway: left on disk it is only sent again at the next start (harmless).
            LOG.warnf("Audit spool segment %s was delivered but could not be deleted: %s", s.path, e);
        }
        bytes.addAndGet(-s.bytes);
        segments.decrementAndGet();
    }

    // ---- the writer ------------------------------------------------------------------------------------------

    private void writeLoop() {
        List<AuditEvent> taken = new ArrayList<>(TAKE_AT_ONCE);
        try {
            while (true) {
                // Polls on its own clock rather than waiting on the queue: a waiting consumer would have to be woken
                // (a system call) by the event loop's offer, once per record when records trickle in one by one.
                if (handoff.isEmpty()) {
                    Thread.sleep(FLUSH_EVERY.toMillis());
                }
                synchronized (writing) {
                    boolean got = handoff.drainTo(taken, TAKE_AT_ONCE) > 0;
                    if (got) {
                        events.addAndGet(taken.size());
                        handoff.release(taken.size());
                        for (AuditEvent e : taken) {
                            append(e);
                        }
                        taken.clear();
                    }
                    long now = System.nanoTime();
                    if (!got || now - lastFlush >= FLUSH_EVERY.toNanos()) {
                        flush();
                    }
                    if (current != null && now - current.firstLineAt >= LINGER.toNanos() && unclaimed.get() == 0) {
                        seal();
                    } else if (unsynced && now - lastFsync >= fsyncNanos) {
                        fsync();
                    }
                }
                if (stopping && handoff.isEmpty()) {
                    break;
                }
            }
            synchronized (writing) {
                flush();
                seal();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            LOG.error("The audit spool writer stopped unexpectedly; new audit events are refused", e);
            accepting = false;
        }
    }

    private void append(AuditEvent event) throws InterruptedException {
        byte[] line;
        int lineLength = fastJson.encode(event);
        try {
            if (lineLength >= 0) {
                line = fastJson.buffer();  // reused by the next encode: copied into `out` below
            } else {
                line = json.writeValueAsBytes(event);
                lineLength = line.length;
            }
        } catch (JsonProcessingException e) {
            events.decrementAndGet();
            LOG.errorf(e, "Audit event %s cannot be serialised and is dropped", event.eventId());
            return;
        }
        if (current == null) {
            openSegment();
        }
        int length = lineLength + 1;
        if (out.remaining() < length) {
            flush();
        }
        if (out.remaining() < length) {
            ByteBuffer big = ByteBuffer.allocate(length).put(line, 0, lineLength).put(NL).flip();
            retrying("writing " + current.path.getFileName(), () -> {
                while (big.hasRemaining()) {
                    channel.write(big);
                }
            });
            unsynced = true;
        } else {
            out.put(line, 0, lineLength).put(NL);
        }
        if (current.lines == 0) {
            current.firstLineAt = System.nanoTime();
        }
        current.lines++;
        current.bytes += length;
        bytes.addAndGet(length);
        if (current.bytes >= segmentBytes) {
            seal();
        }
    }

    private void openSegment() throws InterruptedException {
        Segment s = new Segment(dir.resolve(String.format("seg-%016d.jsonl", nextSequence++)));
        retrying("creating " + s.path.getFileName(), () -> channel = FileChannel.open(s.path,
                StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING));
        current = s;
        segments.incrementAndGet();
    }

    /** Hands the buffered lines to the kernel: from here a crash of the process no longer loses them. */
    private void flush() throws InterruptedException {
        lastFlush = System.nanoTime();
        if (out.position() == 0) {
            return;
        }
        retrying("writing " + current.path.getFileName(), this::writeBuffer);
    }

    /** One attempt at writing the buffered lines; what a failure left unwritten stays buffered, never doubled. */
    private void writeBuffer() throws IOException {
        out.flip();
        try {
            while (out.hasRemaining()) {
                channel.write(out);
            }
        } finally {
            out.compact();
            unsynced = true;
        }
    }

    private void fsync() throws InterruptedException {
        retrying("syncing " + current.path.getFileName(), () -> channel.force(false));
        unsynced = false;
        lastFsync = System.nanoTime();
    }

    private void seal() throws InterruptedException {
        if (current == null) {
            return;
        }
        flush();
        fsync();
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warnf("Audit spool segment %s could not be closed: %s", current.path, e);
        }
        syncDirectory();
        Segment s = current;
        current = null;
        channel = null;
        unclaimed.addAndGet(s.lines);
        sealed.addLast(s);
    }

    /** So a new segment's name, not only its content, survives a node crash; not every file system allows it. */
    private void syncDirectory() {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some file systems cannot sync a directory; the segment's content was synced already, so at worst a
            // node crash loses the newest file's name and its events are the ones fsync-interval bounds anyway.
            LOG.debugf("Audit spool %s: the directory cannot be synced (%s)", dir, e);
        }
    }

    private interface IoAction {
        void run() throws IOException;
    }

    /**
     * Retries a file operation every second until it works (a full or failing disk): the event stays where it
     * is, so nothing accepted is dropped; meanwhile the hand-off queue fills and new offers are refused.
     */
    private void retrying(String what, IoAction action) throws InterruptedException {
        boolean failed = false;
        while (true) {
            try {
                action.run();
                if (failed) {
                    LOG.infof("Audit spool %s: %s works again", dir, what);
                }
                return;
            } catch (IOException e) {
                if (!failed) {
                    LOG.errorf("Audit spool %s: %s failed (%s); retrying every second, new audit events are refused "
                            + "once the in-memory buffer is full", dir, what, e);
                    failed = true;
                }
                Thread.sleep(1000);
            }
        }
    }

    // ---- start and stop --------------------------------------------------------------------------------------

    private void lock() {
        try {
            lockChannel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                lock = lockChannel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
        } catch (IOException e) {
            throw new IllegalStateException("The audit spool directory " + dir + " is not writable: " + e, e);
        }
        if (lock == null) {
            unlock();
            throw new IllegalStateException("The audit spool directory " + dir + " is in use by another process; "
                    + "each process needs its own lgsp.platform.audit.spool.dir");
        }
    }

    private void unlock() {
        try {
            if (lock != null) {
                lock.release();
            }
            lockChannel.close();
        } catch (IOException e) {
            // The lock goes with the process anyway; nothing to undo.
            LOG.debugf("Audit spool %s: releasing the lock failed (%s)", dir, e);
        }
    }

    /** Takes over the segments a previous run left: all sealed, counted, sent again from their start. */
    private void recover() throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> SEGMENT.matcher(p.getFileName().toString()).matches()).sorted().toList();
        }
        for (Path p : files) {
            Matcher m = SEGMENT.matcher(p.getFileName().toString());
            m.matches();
            nextSequence = Math.max(nextSequence, Long.parseLong(m.group(1)) + 1);
            long[] scan = scan(p);
            long size = scan[0];
            long valid = scan[1];
            int lines = (int) scan[2];
            if (valid < size) {
                LOG.warnf("Audit spool segment %s ends with %d bytes that are not a whole event (cut short by a crash "
                        + "while it was written); they are skipped", p.getFileName(), size - valid);
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                    ch.truncate(valid);
                    ch.force(false);
                }
            }
            if (lines == 0) {
                Files.delete(p);
                continue;
            }
            Segment s = new Segment(p);
            s.lines = lines;
            s.bytes = valid;
            sealed.addLast(s);
            bytes.addAndGet(valid);
            events.addAndGet(lines);
            unclaimed.addAndGet(lines);
            segments.incrementAndGet();
        }
        if (events.get() > 0) {
            LOG.infof("Audit spool %s holds %d events in %d segments from the previous run; sending them again "
                    + "(audit ignores the ones it already has)", dir, events.get(), segments.get());
        }
    }

    /**
     * {size, bytes of whole events, events}: a whole event is a line from '{' to '}' and its newline. The first line
     * that is not (a write cut short; zero-filled blocks after a node crash) ends what is trusted.
     */
    static long[] scan(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            byte[] a = new byte[READ_CHUNK];
            long offset = 0;
            long valid = 0;
            long lines = 0;
            boolean lineStart = true;
            byte previous = 0;
            outer:
            while (true) {
                int r = ch.read(ByteBuffer.wrap(a));
                if (r < 0) {
                    break;
                }
                for (int i = 0; i < r; i++) {
                    byte b = a[i];
                    if (lineStart && b != '{') {
                        break outer;
                    }
                    lineStart = false;
                    if (b == NL) {
                        if (previous != '}') {
                            break outer;
                        }
                        lines++;
                        valid = offset + i + 1;
                        lineStart = true;
                    }
                    previous = b;
                }
                offset += r;
            }
            return new long[] {size, valid, lines};
        }
    }

    @Override
    public void stopAdmitting() {
        admitting = false;
    }

    /** Refuses further offers and writes what is still in the hand-off queue, sealing the current segment. */
    @Override
    public void stopAccepting() {
        admitting = false;
        accepting = false;
        stopping = true;
        try {
            writer.join(5000);
            if (writer.isAlive()) {
                writer.interrupt();
                writer.join(1000);
                LOG.errorf("Audit spool %s: the writer did not finish in time; %d events still in memory are lost",
                        dir, handoff.size());
                return;
            }
            // An offer that passed the check just before it closed is written here (the writer has ended).
            synchronized (writing) {
                if (handoff.isEmpty()) {
                    return;
                }
                List<AuditEvent> rest = new ArrayList<>();
                handoff.drainTo(rest, Integer.MAX_VALUE);
                events.addAndGet(rest.size());
                handoff.release(rest.size());
                for (AuditEvent e : rest) {
                    append(e);
                }
                flush();
                seal();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (!stopping) {
            stopAccepting();
        }
        synchronized (claimLock) {
            sealed.forEach(Segment::resetReader);
        }
        unlock();
    }

    /**
     * Test support: the events in the files (those of batches in flight too) and in the hand-off queue. The writer
     * is held off meanwhile and its buffered lines flushed first: otherwise an event it has just taken from the
     * queue, not yet in a file, would be in neither, and a test reading twice could see it come and go.
     */
    @Override
    public List<AuditEvent> snapshot() {
        synchronized (writing) {
            // Once, not retrying as the writer does: a test reading a failing disk should fail, not hang.
            if (out.position() > 0 && channel != null && channel.isOpen()) {
                try {
                    writeBuffer();
                } catch (IOException e) {
                    LOG.warnf("Audit spool %s: flushing for a snapshot failed (%s); the writer retries", dir, e);
                }
            }
            return snapshotHeld();
        }
    }

    private List<AuditEvent> snapshotHeld() {
        List<AuditEvent> all = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> SEGMENT.matcher(p.getFileName().toString()).matches()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Path p : files) {
            byte[] data;
            try {
                data = Files.readAllBytes(p);
            } catch (NoSuchFileException e) {
                continue; // delivered meanwhile
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            int start = 0;
            for (int i = 0; i < data.length; i++) {
                if (data[i] == NL) {
                    try {
                        all.add(mapper.readValue(data, start, i - start, AuditEvent.class));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    start = i + 1;
                }
            }
        }
        all.addAll(handoff.snapshot());
        return all;
    }

    // ---- segments --------------------------------------------------------------------------------------------

    /** One segment file. Its size and line count are final once it is sealed (published through {@link #sealed}). */
    private static final class Segment {
        final Path path;
        long bytes;
        int lines;
        long firstLineAt;
        final AtomicInteger accepted = new AtomicInteger();

        // Taking lines, under claimLock. Committed: what senders have taken; the rest is this take's progress.
        int claimed;
        long claimedBytes;
        FileChannel reader;
        byte[] buffer;
        int position;
        int limit;
        int readLines;
        long readBytes;

        Segment(Path path) {
            this.path = path;
        }

        /** Appends up to max lines to the batch body, comma-separated; commit() makes them taken. */
        int read(ByteArrayOutputStream body, int max, boolean firstInBatch) throws IOException {
            if (reader == null) {
                reader = FileChannel.open(path, StandardOpenOption.READ);
                reader.position(claimedBytes);
                buffer = new byte[READ_CHUNK];
                position = 0;
                limit = 0;
            }
            int got = 0;
            int scanned = position;
            while (got < max && claimed + got < lines) {
                int nl = -1;
                for (int i = scanned; i < limit; i++) {
                    if (buffer[i] == NL) {
                        nl = i;
                        break;
                    }
                }
                if (nl < 0) {
                    // Keep the partial line at the front, make room (a line longer than the buffer doubles it), read on.
                    int partial = limit - position;
                    if (partial == buffer.length) {
                        buffer = Arrays.copyOf(buffer, buffer.length * 2);
                    } else {
                        System.arraycopy(buffer, position, buffer, 0, partial);
                    }
                    position = 0;
                    limit = partial;
                    scanned = partial;
                    int r = reader.read(ByteBuffer.wrap(buffer, limit, buffer.length - limit));
                    if (r < 0) {
                        throw new IOException(path.getFileName() + " ends before its " + lines + " events");
                    }
                    limit += r;
                    continue;
                }
                if (!firstInBatch || got > 0) {
                    body.write(',');
                }
                body.write(buffer, position, nl - position);
                readBytes += nl + 1 - position;
                position = nl + 1;
                scanned = position;
                got++;
            }
            readLines = got;
            return got;
        }

        /** Marks what read() returned as taken; true when every line of the segment is taken. */
        boolean commit() {
            claimed += readLines;
            claimedBytes += readBytes;
            readLines = 0;
            readBytes = 0;
            if (claimed == lines) {
                resetReader();
                return true;
            }
            return false;
        }

        /** Forgets read progress not committed; the next read reopens the file where the taken lines end. */
        void resetReader() {
            readLines = 0;
            readBytes = 0;
            buffer = null;
            if (reader != null) {
                try {
                    reader.close();
                } catch (IOException e) {
                    // A read-only channel has nothing to flush: closing it cannot lose data.
                    LOG.debugf("Closing a reader of %s failed (%s)", path, e);
                }
                reader = null;
            }
        }
    }

    private record Slice(Segment segment, int count) {
    }
}
