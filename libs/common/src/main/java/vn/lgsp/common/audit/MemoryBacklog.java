package vn.lgsp.common.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Events held in memory only, at most {@code capacity} waiting: what a service without a spool directory uses. What
 * is pending when the process ends is lost, which is why the gateway, the one service with a large audit volume,
 * spools to disk instead.
 */
final class MemoryBacklog implements Backlog {

    private final int capacity;
    private final ObjectMapper mapper;
    /** Lock-free: offers come from the event loops on every call. */
    private final Handoff<AuditEvent> queue;
    /** Events taken into batches audit has not accepted yet. */
    private final AtomicInteger inFlight = new AtomicInteger();

    MemoryBacklog(int capacity, ObjectMapper mapper) {
        this.capacity = capacity;
        this.mapper = mapper;
        this.queue = new Handoff<>(capacity);
    }

    @Override
    public boolean offer(AuditEvent event, boolean admitted) {
        return queue.offer(event);
    }

    @Override
    public long pending() {
        return queue.size() + (long) inFlight.get();
    }

    /** As before the spool existed: the buffer size less everything pending, batches in flight included. */
    @Override
    public int room() {
        return (int) Math.max(0, capacity - pending());
    }

    @Override
    public Batch take(int maxEvents) {
        List<AuditEvent> events = new ArrayList<>(Math.min(maxEvents, 1024));
        int n = queue.drainTo(events, maxEvents);
        if (n == 0) {
            return null;
        }
        // Counted as in flight before their places in the queue are given back, so pending() never under-reports.
        inFlight.addAndGet(n);
        queue.release(n);
        try {
            byte[] body = mapper.writeValueAsBytes(Map.of("events", events));
            return new Batch(body, n, () -> inFlight.addAndGet(-n));
        } catch (JsonProcessingException e) {
            inFlight.addAndGet(-n);
            throw new IllegalStateException("audit events could not be serialised", e);
        }
    }

    @Override
    public List<AuditEvent> snapshot() {
        return queue.snapshot();
    }

    @Override
    public void stopAdmitting() {
        // Memory only, as before the spool existed: room() keeps following what is pending.
    }

    @Override
    public void stopAccepting() {
        // Memory only: events offered during shutdown are still sent while the drain lasts.
    }

    @Override
    public void close() {
        // nothing held but memory
    }
}
