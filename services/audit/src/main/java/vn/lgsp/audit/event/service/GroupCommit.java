package vn.lgsp.audit.event.service;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.jboss.logging.Logger;
import vn.lgsp.audit.event.repository.EventWriter;
import vn.lgsp.common.audit.AuditEvent;

/**
 * Group commit: batches that arrive while a transaction is running are appended together in the next one. The chain
 * is serialised anyway (one head row), so fewer, larger transactions mean fewer lock hand-overs and round trips per
 * event. Each caller still gets its own answer (how many of its events were new). If a combined transaction fails,
 * its batches are retried one by one, so one batch can never fail another.
 */
@ApplicationScoped
public class GroupCommit {

    private static final Logger LOG = Logger.getLogger(GroupCommit.class);
    /** Upper bound of events per combined transaction (a few gateway batches). */
    static final int MAX_EVENTS = 5000;

    @Inject
    EventWriter writer;

    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private Thread thread;
    private volatile boolean stopping;

    private record Pending(List<AuditEvent> events, CompletableFuture<Integer> result) {
    }

    /** Appends (blocking the caller until committed); returns how many of {@code events} were new. */
    public int append(List<AuditEvent> events) {
        CompletableFuture<Integer> result = new CompletableFuture<>();
        synchronized (queue) {
            if (thread == null) {
                thread = new Thread(this::loop, "lgsp-audit-writer");
                thread.setDaemon(true);
                thread.start();
            }
            queue.add(new Pending(events, result));
            queue.notifyAll();
        }
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the batch was being written", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        }
    }

    void stop(@Observes ShutdownEvent ev) {
        stopping = true;
        synchronized (queue) {
            queue.notifyAll();
        }
    }

    private void loop() {
        while (true) {
            List<Pending> group = new ArrayList<>();
            synchronized (queue) {
                while (queue.isEmpty()) {
                    if (stopping) {
                        return;
                    }
                    try {
                        queue.wait(1000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                int size = 0;
                while (!queue.isEmpty() && (group.isEmpty() || size + queue.peek().events().size() <= MAX_EVENTS)) {
                    Pending p = queue.poll();
                    size += p.events().size();
                    group.add(p);
                }
            }
            try {
                write(group);
            } catch (RuntimeException e) {
                if (group.size() == 1) {
                    group.get(0).result().completeExceptionally(e);
                } else {
                    LOG.warnf("A combined write of %d batches failed (%s); retrying them one by one", group.size(),
                            e.getMessage());
                    for (Pending p : group) {
                        try {
                            write(List.of(p));
                        } catch (RuntimeException single) {
                            p.result().completeExceptionally(single);
                        }
                    }
                }
            } catch (Error e) {
                group.forEach(p -> p.result().completeExceptionally(e));
                throw e;
            }
        }
    }

    private void write(List<Pending> group) {
        List<AuditEvent> all = new ArrayList<>();
        List<Set<Key>> owned = new ArrayList<>();
        Set<Key> seen = new HashSet<>();
        for (Pending p : group) {
            Set<Key> mine = new HashSet<>();
            for (AuditEvent e : p.events()) {
                Key key = key(e);
                if (seen.add(key)) {
                    all.add(e);
                    mine.add(key);
                }
            }
            owned.add(mine);
        }
        Set<Key> inserted = new HashSet<>();
        for (AuditEvent e : writer.append(all)) {
            inserted.add(key(e));
        }
        for (int i = 0; i < group.size(); i++) {
            int n = 0;
            for (Key k : owned.get(i)) {
                if (inserted.contains(k)) {
                    n++;
                }
            }
            group.get(i).result().complete(n);
        }
    }

    /** An event's identity in the log (its unique key): a record, not a formatted string, per event ingested. */
    private record Key(UUID eventId, Instant occurredAt) {
    }

    private static Key key(AuditEvent e) {
        return new Key(e.eventId(), e.occurredAt());
    }
}
