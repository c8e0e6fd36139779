package vn.lgsp.common.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HandoffTest {

    @Test
    void holdsCapacityElementsInOrderAndPlacesComeBackOnlyWhenReleased() {
        Handoff<Integer> h = new Handoff<>(3);
        assertTrue(h.offer(1));
        assertTrue(h.offer(2));
        assertTrue(h.offer(3));
        assertFalse(h.offer(4), "full");
        assertEquals(0, h.remainingCapacity());
        List<Integer> out = new ArrayList<>();
        assertEquals(2, h.drainTo(out, 2));
        assertEquals(List.of(1, 2), out, "oldest first");
        assertFalse(h.offer(5), "drained but not released: the consumer still counts them");
        h.release(2);
        assertEquals(2, h.remainingCapacity());
        assertTrue(h.offer(5));
        assertEquals(List.of(3, 5), h.snapshot());
        assertEquals(2, h.size());
    }

    @Test
    void concurrentProducersNeverPassTheBoundAndNothingAcceptedIsLost() throws InterruptedException {
        int capacity = 1000;
        Handoff<Integer> h = new Handoff<>(capacity);
        AtomicInteger accepted = new AtomicInteger();
        int producers = 4;
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int base = p * 1_000_000;
            Thread t = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 50_000; i++) {
                    if (h.offer(base + i)) {
                        accepted.incrementAndGet();
                    }
                }
            });
            t.start();
            threads.add(t);
        }
        Set<Integer> consumed = new HashSet<>();
        start.countDown();
        List<Integer> batch = new ArrayList<>();
        boolean producing = true;
        while (producing || !h.isEmpty()) {
            producing = threads.stream().anyMatch(Thread::isAlive);
            int waiting = h.snapshot().size();
            assertTrue(waiting <= capacity, "never more than capacity waiting: " + waiting);
            int n = h.drainTo(batch, 100);
            consumed.addAll(batch);
            batch.clear();
            h.release(n);
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(accepted.get(), consumed.size(), "every accepted element reached the consumer exactly once");
        assertEquals(0, h.size());
        assertEquals(capacity, h.remainingCapacity());
    }
}
