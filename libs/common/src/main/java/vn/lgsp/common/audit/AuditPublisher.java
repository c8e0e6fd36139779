package vn.lgsp.common.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.inject.Singleton;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import vn.lgsp.common.client.PlatformConfig;
import vn.lgsp.common.client.ServiceTokens;

/**
 * Hands audit events to the audit service in batches, off the request path.
 * <p>
 * {@link #offer} never blocks and does no IO: it appends to a bounded in-memory buffer and says whether there was
 * room, so a caller that must not act unlogged (the gateway) can refuse instead ({@link #room} tells it beforehand).
 * With {@code lgsp.platform.audit.spool.dir} set, a writer thread moves the buffer to segment files on local disk
 * ({@link AuditSpool}), so the backlog may grow to {@code spool.max-bytes} and outlives a restart; unset, events
 * wait in memory only. {@code senders} background threads send batches (several in flight let audit commit them
 * together); a batch audit did not accept is sent again, with back-off, so nothing is lost while audit is down;
 * audit de-duplicates by event id, so a batch sent twice is harmless. Shutdown drains within a bounded time.
 */
@Singleton
public class AuditPublisher {

    private static final Logger LOG = Logger.getLogger(AuditPublisher.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    @Inject
    PlatformConfig config;

    @Inject
    ServiceTokens tokens;

    @Inject
    ObjectMapper mapper;

    @Inject
    Instance<MeterRegistry> registry;

    private volatile Backlog backlog;
    /** Batches audit has not accepted, sent again before anything new. */
    private final ConcurrentLinkedDeque<Backlog.Batch> retries = new ConcurrentLinkedDeque<>();
    /**
     * HTTP/1.1: a batch is one large body, which HTTP/1.1 writes to the socket as it is, while the client's default
     * HTTP/2 (h2c) split it into 16 KiB frames and waited for window updates every 64 KiB (measured: ~4 us of the
     * gateway's CPU per record delivered, most of it in that framing and the hand-offs between its threads).
     */
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicBoolean reachable = new AtomicBoolean(true);
    /** Bytes of events audit refused as invalid that may be set aside (package-private: tests lower it). */
    long rejectedMaxBytes = 64L * 1024 * 1024;
    private volatile RejectedEvents rejected;
    private ScheduledExecutorService sender;
    private volatile long backoffMillis;
    private volatile long nextAttemptAt;

    /** One sender iteration's outcome. */
    enum Attempt { SENT, NOTHING_READY, FAILED, BACKING_OFF }

    void onStart(@Observes StartupEvent ev) {
        start();
        if (registry != null && registry.isResolvable()) {
            registerMetrics(registry.get());
        }
    }

    void onStop(@Observes ShutdownEvent ev) {
        stop();
    }

    void start() {
        PlatformConfig.Audit audit = config.audit();
        Optional<Path> dir = audit.spool().dir();
        if (dir.isPresent()) {
            PlatformConfig.Spool spool = audit.spool();
            AuditSpool disk = AuditSpool.open(dir.get(), audit.bufferSize(), spool.maxBytes(), spool.segmentBytes(),
                    spool.fsyncInterval(), mapper);
            LOG.infof("Audit events are spooled in %s (at most %d bytes, %d in memory on the way there)", disk.dir(),
                    spool.maxBytes(), audit.bufferSize());
            backlog = disk;
        } else {
            backlog = new MemoryBacklog(audit.bufferSize(), mapper);
        }
        rejected = new RejectedEvents(mapper, spoolDir(), rejectedMaxBytes);
        if (!audit.enabled()) {
            LOG.info("Audit publishing is disabled: events stay in the local buffer");
            return;
        }
        int senders = Math.max(1, audit.senders());
        AtomicInteger n = new AtomicInteger();
        sender = Executors.newScheduledThreadPool(senders, r -> {
            Thread t = new Thread(r, "lgsp-audit-publisher-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        long interval = audit.flushInterval().toMillis();
        for (int i = 0; i < senders; i++) {
            sender.scheduleWithFixedDelay(this::flushSafely, interval + i * interval / senders, interval,
                    TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Sends what is pending until everything is delivered or drain-timeout has passed. With the spool: no new call
     * is admitted meanwhile (room 0) but the records of calls still in flight are taken; then offers stop, what is
     * still in memory is written to disk, and the rest of the drain time delivers that too.
     */
    void stop() {
        Backlog b = backlog;
        if (b == null) {
            return;
        }
        long deadline = System.nanoTime() + config.audit().drainTimeout().toNanos();
        b.stopAdmitting();
        try {
            if (sender != null) {
                sender.shutdown();
                sender.awaitTermination(1, TimeUnit.SECONDS);
                nextAttemptAt = 0;
                drain(deadline);
            }
            b.stopAccepting();
            if (sender != null) {
                drain(deadline);
                sender.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        b.close();
        long left = pending();
        if (left > 0 && b instanceof AuditSpool spool) {
            // Not an error: they are on disk and the next start sends them.
            LOG.infof("%d audit events stay in the spool %s (%d bytes); they are sent when this service starts again",
                    left, spool.dir(), spool.bytes());
        } else if (left > 0) {
            LOG.errorf("Shutting down with %d audit events not delivered", left);
        }
    }

    /** Queue an event; false when there is no room (audit has been unreachable or slow for a while). */
    public boolean offer(AuditEvent event) {
        return offer(event, false);
    }

    /**
     * Queue the event of a call admitted against {@link #room()} (the gateway's AuditGate): refused only if the
     * in-memory hand-off is full, not because the spool reached max-bytes after the call was let in — its place
     * was counted then, and the call has been served. The files pass max-bytes by such records at most (the calls
     * in flight when it was reached, fewer than buffer-size).
     */
    public boolean offerAdmitted(AuditEvent event) {
        return offer(event, true);
    }

    private boolean offer(AuditEvent event, boolean admitted) {
        Backlog b = backlog;
        if (b != null && b.offer(event, admitted)) {
            return true;
        }
        refused.incrementAndGet();
        return false;
    }

    /** Events not yet accepted by audit: in memory, on disk, or in a batch in flight or waiting to be retried. */
    public long pending() {
        Backlog b = backlog;
        return b == null ? 0 : b.pending();
    }

    /**
     * How many more events {@link #offer} will surely accept: free places in the in-memory buffer less what is
     * pending (memory only), or free places in the hand-off to the spool and none once the spool holds max-bytes.
     * A few atomic reads: the gateway asks on every call.
     */
    public int room() {
        Backlog b = backlog;
        return b == null ? 0 : b.room();
    }

    /** Whether there is room for more events. */
    public boolean hasCapacity() {
        return room() > 0;
    }

    /** Whether the last delivery attempt reached audit. */
    public boolean auditReachable() {
        return reachable.get();
    }

    public long sentCount() {
        return sent.get();
    }

    public long refusedCount() {
        return refused.get();
    }

    /** Events audit refused as invalid and that were set aside. */
    public long rejectedCount() {
        RejectedEvents r = rejected;
        return r == null ? 0 : r.count();
    }

    /** The spool directory, when events are spooled to disk. */
    public Optional<Path> spoolDir() {
        return backlog instanceof AuditSpool s ? Optional.of(s.dir()) : Optional.empty();
    }

    /** Bytes in the spool's files (0 without a spool). */
    public long spoolBytes() {
        return backlog instanceof AuditSpool s ? s.bytes() : 0;
    }

    /** The spool's bound (0 without a spool). */
    public long spoolMaxBytes() {
        return backlog instanceof AuditSpool s ? s.maxBytes() : 0;
    }

    /** Segment files in the spool (0 without a spool). */
    public int spoolSegments() {
        return backlog instanceof AuditSpool s ? s.segments() : 0;
    }

    /** Test support: what is queued, oldest first (only meaningful when sending is disabled). */
    public List<AuditEvent> snapshot() {
        Backlog b = backlog;
        return b == null ? List.of() : b.snapshot();
    }

    /**
     * lgsp_audit_publisher_*: the publisher's side of audit delivery, in every service that publishes (audit's own
     * lgsp_audit_* metrics describe the audit service itself, hence the extra word).
     */
    void registerMetrics(MeterRegistry meters) {
        Gauge.builder("lgsp.audit.publisher.pending", this, AuditPublisher::pending).baseUnit("events")
                .description("Audit events not yet accepted by audit (in memory, spooled on disk or in flight)")
                .strongReference(true).register(meters);
        FunctionCounter.builder("lgsp.audit.publisher.refused", this, AuditPublisher::refusedCount).baseUnit("events")
                .description("Audit events refused because the buffer or the spool was full")
                .register(meters);
        FunctionCounter.builder("lgsp.audit.publisher.rejected", this, AuditPublisher::rejectedCount)
                .baseUnit("events")
                .description("Audit events audit refused as invalid, set aside (rejected.jsonl beside the spool, or the log)")
                .register(meters);
        if (backlog instanceof AuditSpool) {
            Gauge.builder("lgsp.audit.publisher.spool", this, AuditPublisher::spoolBytes).baseUnit(BaseUnits.BYTES)
                    .description("Bytes of audit events in the local spool files").strongReference(true).register(meters);
            Gauge.builder("lgsp.audit.publisher.spool.max", this, AuditPublisher::spoolMaxBytes).baseUnit(BaseUnits.BYTES)
                    .description("The spool's bound: beyond it audit events are refused").strongReference(true)
                    .register(meters);
            Gauge.builder("lgsp.audit.publisher.spool.segments", this, AuditPublisher::spoolSegments)
                    .description("Segment files in the local audit spool").strongReference(true).register(meters);
        }
    }

    private void drain(long deadline) throws InterruptedException {
        while (pending() > 0 && System.nanoTime() < deadline) {
            Attempt a = flushOnce();
            if (a != Attempt.SENT) {
                Thread.sleep(a == Attempt.NOTHING_READY ? 20 : 200);
            }
        }
    }

    private void flushSafely() {
        try {
            while (flushOnce() == Attempt.SENT) {
                // keep sending while audit accepts and there is more
            }
        } catch (RuntimeException e) {
            LOG.warn("Audit publisher iteration failed", e);
        }
    }

    /** Sends one batch: the oldest one audit refused, else the next one from the backlog. */
    Attempt flushOnce() {
        if (System.currentTimeMillis() < nextAttemptAt) {
            return Attempt.BACKING_OFF;
        }
        Backlog.Batch batch = retries.pollFirst();
        if (batch == null) {
            batch = backlog.take(config.audit().batchSize());
        }
        if (batch == null) {
            return Attempt.NOTHING_READY;
        }
        try {
            String token = tokens.token().get(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
            HttpRequest request = HttpRequest.newBuilder(URI.create(config.auditUrl() + "/api/v1/events/batch"))
                    .timeout(config.callTimeout())
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(batch.body()))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 401) {
                tokens.invalidate();
            }
            if (response.statusCode() == 400) {
                // Invalid events would be refused forever and hold up everything behind them: set them aside.
                Backlog.Batch rest = rejected.setAside(batch, response.body());
                if (rest != null) {
                    if (rest.size() == 0) {
                        rest.onAccepted().run();
                    } else {
                        retries.addFirst(rest);
                    }
                    return Attempt.SENT;
                }
            }
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("audit answered HTTP " + response.statusCode());
            }
            batch.onAccepted().run();
            sent.addAndGet(batch.size());
            backoffMillis = 0;
            nextAttemptAt = 0;
            if (!reachable.getAndSet(true)) {
                LOG.info("Audit is reachable again; delivering buffered events");
            }
            return Attempt.SENT;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            retries.addFirst(batch);
            backoffMillis = Math.min(MAX_BACKOFF.toMillis(), Math.max(200, backoffMillis * 2));
            nextAttemptAt = System.currentTimeMillis() + backoffMillis;
            if (reachable.getAndSet(false)) {
                LOG.warnf("Audit delivery failed (%s); %d events buffered, retrying",
                        e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), pending());
            }
            return Attempt.FAILED;
        }
    }
}
