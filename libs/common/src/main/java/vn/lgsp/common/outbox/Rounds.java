package vn.lgsp.common.outbox;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Drives an outbox's delivery rounds (catalog's webhooks, registry's agency changes): {@link #kick()} after a change
 * commits and from a timer; at most one round runs at a time, a kick during a round makes it run once more, and a
 * round that says there may be more (it claimed a full batch) is followed by another at once. A failed round ends
 * quietly: the next kick (the timer's at the latest) tries again.
 */
public final class Rounds {

    private final Supplier<CompletionStage<Boolean>> round;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private Vertx vertx;
    private long timer = -1;

    /** {@code round} delivers what is due and completes with whether more may be waiting. */
    public Rounds(Supplier<CompletionStage<Boolean>> round) {
        this.round = round;
    }

    public void kick() {
        if (!running.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        again.set(false);
        CompletionStage<Boolean> current;
        try {
            current = round.get();
        } catch (RuntimeException e) {
            running.set(false);
            throw e;
        }
        current.whenComplete((more, error) -> {
            running.set(false);
            if (again.get() || (error == null && Boolean.TRUE.equals(more))) {
                kick();
            }
        });
    }

    /**
     * Kicks every {@code interval} (at least 50 ms) until {@link #stop()}, running {@code alsoEachTick} after each kick:
     * the timer that picks up retries and rows a stopped replica left behind.
     */
    public synchronized void kickEvery(Vertx vertx, Duration interval, Runnable alsoEachTick) {
        stop();
        long every = Math.max(50, interval.toMillis());
        this.vertx = vertx;
        timer = vertx.setPeriodic(every, every, id -> {
            kick();
            alsoEachTick.run();
        });
    }

    /** Stops the timer of {@link #kickEvery}; kicks still work. */
    public synchronized void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    /** The wait after the n-th failed attempt: {@code initial × 2^(n-1)}, at most {@code max}. */
    public static Duration backoff(Duration initial, Duration max, int failedAttempts) {
        Duration d = initial.multipliedBy(1L << Math.min(Math.max(failedAttempts - 1, 0), 30));
        return d.compareTo(max) > 0 ? max : d;
    }
}
