package vn.lgsp.routing.exchange.service;

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

    @Inject
    Vertx vertx;

    @Inject
    Pool pool;

    @Inject
    EnvelopeRepository repository;

    @Inject
    MeterRegistry meters;

    private final Map<String, Set<Consumer<Notice>>> listeners = new ConcurrentHashMap<>();
    private volatile SqlConnection connection;
    private volatile boolean stopped;
    private volatile boolean listening;

    void start(@Observes StartupEvent ev) {
        Gauge.builder("lgsp.exchange.streams", this, ExchangeNotices::streams)
                .description("Exchange event streams open on this replica").register(meters);
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

    private void dispatch(Notice n) {
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
     */
    public Multi<Optional<Notice>> stream(String system, String environment, Long lastEventId, long keepAliveMillis,
            long endAtMillis, BooleanSupplier revoked) {
        return Multi.createFrom().emitter(em -> open(em, system, environment, lastEventId, keepAliveMillis, endAtMillis,
                revoked));
    }

    private void open(MultiEmitter<? super Optional<Notice>> em, String system, String environment, Long lastEventId,
            long keepAliveMillis, long endAtMillis, BooleanSupplier revoked) {
        String key = key(system, environment);
        Object lock = new Object();
        List<Notice> buffered = new ArrayList<>();
        Set<Long> replayed = new HashSet<>();
        boolean[] replaying = { lastEventId != null };
        Consumer<Notice> listener = n -> {
            synchronized (lock) {
                if (replaying[0]) {
                    buffered.add(n);
                } else if (!replayed.contains(n.id())) {
                    em.emit(Optional.of(n));
                }
            }
        };
        listeners.computeIfAbsent(key, k -> new CopyOnWriteArraySet<>()).add(listener);
        // Empty items are keep-alive comments; the stream ends when the token does.
        long keepAlive = vertx.setPeriodic(keepAliveMillis, keepAliveMillis, id -> em.emit(Optional.empty()));
        long end = vertx.setTimer(Math.max(1, endAtMillis - System.currentTimeMillis()), id -> em.complete());
        long revocation = vertx.setPeriodic(1000, id -> {
            if (revoked.getAsBoolean()) {
                em.complete();
            }
        });
        em.onTermination(() -> {
            vertx.cancelTimer(keepAlive);
            vertx.cancelTimer(end);
            vertx.cancelTimer(revocation);
            Set<Consumer<Notice>> set = listeners.get(key);
            if (set != null) {
                set.remove(listener);
            }
        });
        em.emit(Optional.empty()); // sent at once, so the client sees the stream is open
        if (lastEventId == null) {
            return;
        }
        repository.noticesAfter(system, environment, lastEventId, REPLAY_LIMIT).subscribe().with(missed -> {
            synchronized (lock) {
                for (Notice n : missed) {
                    replayed.add(n.id());
                    em.emit(Optional.of(n));
                }
                for (Notice n : buffered) {
                    if (!replayed.contains(n.id())) {
                        em.emit(Optional.of(n));
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
