package vn.lgsp.common.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import vn.lgsp.common.client.PlatformConfig;
import vn.lgsp.common.client.ServiceTokens;

/**
 * Hands audit events to the audit service in batches, off the request path.
 * <p>
 * {@link #offer} never blocks: it appends to a bounded in-memory buffer and says whether there was room,
 * so a caller that must not act unlogged (the gateway) can refuse instead. {@code senders} background threads
 * send batches (several in flight let audit commit them together); each keeps the batch audit did not accept and
 * sends it again, with back-off, so nothing is lost while audit is down; audit de-duplicates by event id, so a
 * batch sent twice is harmless. Shutdown drains the buffer within a bounded time.
 */
@ApplicationScoped
public class AuditPublisher {

    private static final Logger LOG = Logger.getLogger(AuditPublisher.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);

    @Inject
    PlatformConfig config;

    @Inject
    ServiceTokens tokens;

    @Inject
    ObjectMapper mapper;

    private BlockingQueue<AuditEvent> buffer;
    /** One batch in the making or in flight per sender thread; guarded by itself. */
    private final List<List<AuditEvent>> unsentPerSender = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ThreadLocal<List<AuditEvent>> unsent = ThreadLocal.withInitial(() -> {
        List<AuditEvent> mine = new ArrayList<>();
        unsentPerSender.add(mine);
        return mine;
    });
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicBoolean reachable = new AtomicBoolean(true);
    private ScheduledExecutorService sender;
    private volatile long backoffMillis;
    private volatile long nextAttemptAt;

    void start(@Observes StartupEvent ev) {
        buffer = new ArrayBlockingQueue<>(config.audit().bufferSize());
        if (!config.audit().enabled()) {
            LOG.info("Audit publishing is disabled: events stay in the local buffer");
            return;
        }
        int senders = Math.max(1, config.audit().senders());
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        sender = Executors.newScheduledThreadPool(senders, r -> {
            Thread t = new Thread(r, "lgsp-audit-publisher-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        long interval = config.audit().flushInterval().toMillis();
        for (int i = 0; i < senders; i++) {
            sender.scheduleWithFixedDelay(this::flushSafely, interval + i * interval / senders, interval,
                    TimeUnit.MILLISECONDS);
        }
    }

    void stop(@Observes ShutdownEvent ev) {
        if (sender == null) {
            return;
        }
        sender.shutdown();
        long deadline = System.nanoTime() + config.audit().drainTimeout().toNanos();
        try {
            sender.awaitTermination(1, TimeUnit.SECONDS);
            nextAttemptAt = 0;
            // batches the sender threads had not delivered are sent from here
            List<AuditEvent> mine = unsent.get();
            for (List<AuditEvent> other : unsentPerSender) {
                if (other != mine) {
                    synchronized (other) {
                        synchronized (mine) {
                            mine.addAll(other);
                        }
                        other.clear();
                    }
                }
            }
            while (pending() > 0 && System.nanoTime() < deadline) {
                if (!flushOnce()) {
                    Thread.sleep(200);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (pending() > 0) {
            LOG.errorf("Shutting down with %d audit events not delivered", pending());
        }
    }

    /** Queue an event; false when the buffer is full (audit has been unreachable for a while). */
    public boolean offer(AuditEvent event) {
        if (buffer == null) {
            return false;
        }
        boolean accepted = buffer.offer(event);
        if (!accepted) {
            refused.incrementAndGet();
        }
        return accepted;
    }

    /** Events waiting to be delivered. */
    public int pending() {
        int inFlight = 0;
        for (List<AuditEvent> u : unsentPerSender) {
            synchronized (u) {
                inFlight += u.size();
            }
        }
        return (buffer == null ? 0 : buffer.size()) + inFlight;
    }

    /** Whether there is room for more events. */
    public boolean hasCapacity() {
        return buffer != null && buffer.remainingCapacity() > 0;
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

    /** Test support: a copy of what is queued, oldest first (only meaningful when sending is disabled). */
    public List<AuditEvent> snapshot() {
        List<AuditEvent> all = new ArrayList<>();
        for (List<AuditEvent> u : unsentPerSender) {
            synchronized (u) {
                all.addAll(u);
            }
        }
        all.addAll(buffer);
        return all;
    }

    private void flushSafely() {
        try {
            while (flushOnce() && pending() > 0) {
                // keep sending while audit accepts and there is more
            }
        } catch (RuntimeException e) {
            LOG.warn("Audit publisher iteration failed", e);
        }
    }

    /** Sends one batch; true if audit accepted it (or there was nothing to send). */
    boolean flushOnce() {
        if (System.currentTimeMillis() < nextAttemptAt) {
            return false;
        }
        List<AuditEvent> mine = unsent.get();
        List<AuditEvent> batch;
        synchronized (mine) {
            if (mine.isEmpty()) {
                buffer.drainTo(mine, config.audit().batchSize());
            }
            if (mine.isEmpty()) {
                return true;
            }
            batch = List.copyOf(mine);
        }
        try {
            String token = tokens.token().get(config.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
            byte[] body = mapper.writeValueAsBytes(Map.of("events", batch));
            HttpRequest request = HttpRequest.newBuilder(URI.create(config.auditUrl() + "/api/v1/events/batch"))
                    .timeout(config.callTimeout())
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 401) {
                tokens.invalidate();
            }
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("audit answered HTTP " + response.statusCode());
            }
            synchronized (mine) {
                mine.clear();
            }
            sent.addAndGet(batch.size());
            backoffMillis = 0;
            nextAttemptAt = 0;
            if (!reachable.getAndSet(true)) {
                LOG.info("Audit is reachable again; delivering buffered events");
            }
            return true;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            backoffMillis = Math.min(MAX_BACKOFF.toMillis(), Math.max(200, backoffMillis * 2));
            nextAttemptAt = System.currentTimeMillis() + backoffMillis;
            if (reachable.getAndSet(false)) {
                LOG.warnf("Audit delivery failed (%s); %d events buffered, retrying", e.getMessage(), pending());
            }
            return false;
        }
    }
}
