package vn.lgsp.routing.exchange.service;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.jboss.logging.Logger;
import vn.lgsp.routing.exchange.domain.Notice;
import vn.lgsp.routing.exchange.repository.EnvelopeRepository;

/**
 * The real-time notification service of X5 step 5: every replica LISTENs on {@link EnvelopeRepository#CHANNEL} over
 * one connection of its pool and hands each notice to the event streams of that system open on this replica.
 * PostgreSQL delivers a NOTIFY only when its transaction commits, so a stream never announces a change that was
 * rolled back, whichever replica made it. A stream that reconnects with Last-Event-ID is first sent what it missed
 * (from exchange_notice), then the live notices, without duplicates. If the listening connection drops it is
 * re-opened every few seconds; clients that worry about the gap reconnect with Last-Event-ID or list their inbox.
 */
@ApplicationScoped
public class ExchangeNotices {

    private static final Logger LOG = Logger.getLogger(ExchangeNotices.class);
    private static final int REPLAY_LIMIT = 1000;
    /**
     * Notices a stream may hold for a client that reads more slowly than they come (its TCP window full): a
     * replay's worth plus a margin. Beyond it the connection is dropped (the client's EventSource reconnects
     * with Last-Event-ID and is replayed the rest from exchange_notice), so one stalled reader cannot grow this
     * replica's memory without limit.
     */
    static final int STREAM_BUFFER = REPLAY_LIMIT + 256;
    /**
     * A burst (a sweep expiring many envelopes of one system, a replay) is emitted faster than any socket takes it,
     * so being {@link #STREAM_BUFFER} behind only counts when the writer has also taken nothing for this long; far
     * beyond it ({@link #HARD_LIMIT}) the client is dropped whatever, so memory stays bounded.
     */
    static final long STALL_MILLIS = 5_000;
    static final int HARD_LIMIT = 8 * STREAM_BUFFER;

    /** The clock stalls are judged by (tests move it). */
    java.util.function.LongSupplier clock = System::currentTimeMillis;

    @Inject
    Vertx vertx;

    @Inject
    Pool pool;

    @Inject
    EnvelopeRepository repository;

    @Inject
    MeterRegistry meters;

    private final Map<String, Set<Consumer<Notice>>> listeners = new ConcurrentHashMap<>();
    private final AtomicLong overflows = new AtomicLong();
    private volatile SqlConnection connection;
    private volatile boolean stopped;
    private volatile boolean listening;

    void start(@Observes StartupEvent ev) {
        Gauge.builder("lgsp.exchange.streams", this, ExchangeNotices::streams)
                .description("Exchange event streams open on this replica").register(meters);
        FunctionCounter.builder("lgsp.exchange.streams.overflowed", overflows, AtomicLong::get)
                .description("Exchange event streams ended because their client read more slowly than notices came")
                .register(meters);
        listen();
    }

    void stop(@Observes ShutdownEvent ev) {
        stopped = true;
        SqlConnection c = connection;
        if (c != null) {
            c.close();
        }
    }

    /** Event streams open on this replica. */
    public int streams() {
        return listeners.values().stream().mapToInt(Set::size).sum();
    }

    /** Whether this replica hears other replicas' notices now (shown by the status endpoint, tested). */
    public boolean listening() {
        return listening;
    }

    private void listen() {
        if (stopped) {
            return;
        }
        pool.getConnection().compose(c -> {
            PgConnection pg = PgConnection.cast(c);
            pg.notificationHandler(n -> {
                if (EnvelopeRepository.CHANNEL.equals(n.getChannel())) {
                    dispatch(Notice.fromJson(new JsonObject(n.getPayload())));
                }
            });
            pg.closeHandler(v -> {
                listening = false;
                connection = null;
                if (!stopped) {
                    LOG.warn("Exchange notice connection closed; listening again in 2 s");
                    vertx.setTimer(2000, id -> listen());
                }
            });
            connection = c;
            return c.query("LISTEN " + EnvelopeRepository.CHANNEL).execute();
        }).onSuccess(r -> listening = true).onFailure(e -> {
            LOG.warnf("Cannot listen for exchange notices (%s); retrying in 5 s", e.getMessage());
            SqlConnection c = connection;
            if (c != null) {
                c.close();
            } else if (!stopped) {
                vertx.setTimer(5000, id -> listen());
            }
        });
    }

    /** Hands a notice to this replica's open streams of its system (package-private for tests). */
    void dispatch(Notice n) {
        Set<Consumer<Notice>> set = listeners.get(key(n.system(), n.environment()));
        if (set != null) {
            for (Consumer<Notice> l : set) {
                l.accept(n);
            }
        }
    }

    /**
     * The notices for a system from now on, after those it missed since {@code lastEventId} (if given). Completes
     * when {@code endAtMillis} passes (the caller's token expires: it reconnects with a fresh one), or within a
     * second of {@code revoked} turning true (an in-memory look-up, so checking each second costs nothing).
     * A reconnection more than a page ({@value #REPLAY_LIMIT}) behind gets one page, then the stream ends so it
     * reconnects for the next. When more than {@link #STREAM_BUFFER} notices wait for a client that has taken none
     * for {@link #STALL_MILLIS} (its TCP window full, so the SSE writer asks for no more), or more than
     * {@link #HARD_LIMIT} whatever, {@code abandon} is run: the caller drops the connection, the
     * client reconnects with Last-Event-ID and is replayed the rest, and nothing here holds the notices meanwhile.
     */
    public Multi<Optional<Notice>> stream(String system, String environment, Long lastEventId, long keepAliveMillis,
            long endAtMillis, BooleanSupplier revoked, Runnable abandon) {
        AtomicInteger waiting = new AtomicInteger(); // emitted, not yet taken by the writer
        AtomicLong lastTaken = new AtomicLong(clock.getAsLong());
        return Multi.createFrom().<Optional<Notice>>emitter(em -> open(em, waiting, lastTaken, system, environment,
                lastEventId, keepAliveMillis, endAtMillis, revoked, abandon))
                .onItem().invoke(() -> {
                    waiting.decrementAndGet();
                    lastTaken.set(clock.getAsLong());
                });
    }

    private void open(MultiEmitter<? super Optional<Notice>> em, AtomicInteger waiting, AtomicLong lastTaken, String system,
            String environment, Long lastEventId, long keepAliveMillis, long endAtMillis, BooleanSupplier revoked,
            Runnable abandon) {
        String key = key(system, environment);
        Object lock = new Object();
        List<Notice> buffered = new ArrayList<>();
        Set<Long> replayed = new HashSet<>();
        boolean[] replaying = { lastEventId != null };
        boolean[] abandoned = { false };
        Runnable[] release = { () -> { } }; // set below, once the listener and timers exist
        // Every item goes through here, under the lock: counted, and refused once the client is too far behind.
        Consumer<Optional<Notice>> send = item -> {
            if (abandoned[0]) {
                return;
            }
            int behind = Math.max(waiting.incrementAndGet(), buffered.size());
            boolean stalled = behind > STREAM_BUFFER && clock.getAsLong() - lastTaken.get() >= STALL_MILLIS;
            if (stalled || behind > HARD_LIMIT) {
                abandoned[0] = true;
                overflows.incrementAndGet();
                LOG.infof("Event stream of %s (%s) dropped: %d notices waited for a client reading too slowly; it "
                        + "resumes with Last-Event-ID", system, environment, behind);
                // Let go here: the SSE writer, waiting on a write that will never complete, may not cancel.
                release[0].run();
                em.complete();
                abandon.run();
                return;
            }
            em.emit(item);
        };
        Consumer<Notice> listener = n -> {
            synchronized (lock) {
                if (replaying[0]) {
                    buffered.add(n);
                    if (buffered.size() > STREAM_BUFFER) {
                        send.accept(Optional.of(n));
                    }
                } else if (!replayed.contains(n.id())) {
                    send.accept(Optional.of(n));
                }
            }
        };
        listeners.computeIfAbsent(key, k -> new CopyOnWriteArraySet<>()).add(listener);
        // Empty items are keep-alive comments; the stream ends when the token does.
        long keepAlive = vertx.setPeriodic(keepAliveMillis, keepAliveMillis, id -> {
            synchronized (lock) {
                send.accept(Optional.empty());
            }
        });
        long end = vertx.setTimer(Math.max(1, endAtMillis - System.currentTimeMillis()), id -> em.complete());
        long revocation = vertx.setPeriodic(1000, id -> {
            if (revoked.getAsBoolean()) {
                em.complete();
            }
        });
        release[0] = () -> {
            vertx.cancelTimer(keepAlive);
            vertx.cancelTimer(end);
            vertx.cancelTimer(revocation);
            Set<Consumer<Notice>> set = listeners.get(key);
            if (set != null) {
                set.remove(listener);
            }
        };
        em.onTermination(release[0]);
        synchronized (lock) {
            send.accept(Optional.empty()); // sent at once, so the client sees the stream is open
        }
        if (lastEventId == null) {
            return;
        }
        repository.noticesAfter(system, environment, lastEventId, REPLAY_LIMIT).subscribe().with(missed -> {
            synchronized (lock) {
                for (Notice n : missed) {
                    replayed.add(n.id());
                    send.accept(Optional.of(n));
                }
                if (missed.size() >= REPLAY_LIMIT) {
                    // More may be missed than one page: end here, so the client reconnects from the last id of this
                    // page and gets the next, instead of jumping to the live notices over a gap.
                    release[0].run();
                    em.complete();
                    return;
                }
                for (Notice n : buffered) {
                    if (!replayed.contains(n.id())) {
                        send.accept(Optional.of(n));
                    }
                }
                buffered.clear();
                replaying[0] = false;
            }
        }, em::fail);
    }

    private static String key(String system, String environment) {
        return system + '\n' + environment;
    }
}
