package vn.lgsp.common.outbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RoundsTest {

    @Test
    void oneRoundAtATimeAKickDuringItRunsItOnceMoreAndAFullBatchIsFollowedAtOnce() {
        List<CompletableFuture<Boolean>> started = new ArrayList<>();
        Rounds rounds = new Rounds(() -> {
            CompletableFuture<Boolean> f = new CompletableFuture<>();
            started.add(f);
            return f;
        });
        rounds.kick();
        rounds.kick();
        rounds.kick();
        assertEquals(1, started.size(), "kicks during a round do not start another");
        started.get(0).complete(false);
        assertEquals(2, started.size(), "but make it run once more");
        started.get(1).complete(false);
        assertEquals(2, started.size(), "nothing more to do");
        rounds.kick();
        started.get(2).complete(true);
        assertEquals(4, started.size(), "a full batch is followed by another round at once");
        started.get(3).completeExceptionally(new IllegalStateException("database down"));
        assertEquals(4, started.size(), "a failed round waits for the next kick");
        rounds.kick();
        assertEquals(5, started.size());
    }

    @Test
    void aTimerKicksUntilStoppedAndRunsItsTickAfterEachKick() throws Exception {
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            AtomicInteger roundsRun = new AtomicInteger();
            AtomicInteger ticks = new AtomicInteger();
            Rounds rounds = new Rounds(() -> {
                roundsRun.incrementAndGet();
                return CompletableFuture.completedFuture(false);
            });
            rounds.kickEvery(vertx, Duration.ofMillis(50), ticks::incrementAndGet);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (ticks.get() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            rounds.stop();
            Thread.sleep(100); // a tick already on its way may still land
            int after = roundsRun.get();
            Thread.sleep(300);
            assertEquals(after, roundsRun.get(), "no kicks once stopped");
            assertEquals(true, after >= 3 && ticks.get() >= 3, "kicked " + after + ", ticked " + ticks.get());
            rounds.kick();
            assertEquals(after + 1, roundsRun.get(), "kicks by hand still work");
        } finally {
            vertx.close();
        }
    }

    @Test
    void aRoundThatThrowsDoesNotWedgeTheRounds() {
        AtomicInteger calls = new AtomicInteger();
        Rounds rounds = new Rounds(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("boom");
            }
            return CompletableFuture.completedFuture(false);
        });
        try {
            rounds.kick();
        } catch (IllegalStateException expected) {
            // the caller sees it
        }
        rounds.kick();
        assertEquals(2, calls.get());
    }

    @Test
    void backoffDoublesFromTheInitialWaitUpToTheMaximum() {
        Duration initial = Duration.ofSeconds(1);
        Duration max = Duration.ofMinutes(5);
        assertEquals(Duration.ofSeconds(1), Rounds.backoff(initial, max, 1));
        assertEquals(Duration.ofSeconds(2), Rounds.backoff(initial, max, 2));
        assertEquals(Duration.ofSeconds(256), Rounds.backoff(initial, max, 9));
        assertEquals(max, Rounds.backoff(initial, max, 10));
        assertEquals(max, Rounds.backoff(initial, max, 1000));
    }
}
