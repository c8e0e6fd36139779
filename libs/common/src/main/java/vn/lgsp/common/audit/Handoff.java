package vn.lgsp.common.audit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded queue from the request path (many producers: the event loops) to one background consumer that polls it
 * on its own schedule. Lock-free on both sides: a blocking queue takes a lock per offer and, whenever its consumer
 * is parked waiting, wakes it with a futex call — one system call and two context switches per audit record,
 * which at gateway rates cost more CPU than writing the record itself.
 */
final class Handoff<T> {

    private final int capacity;
    private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
    /** Places taken, counted before the element is linked in, so the bound holds under concurrent offers. */
    private final AtomicInteger size = new AtomicInteger();

    Handoff(int capacity) {
        this.capacity = capacity;
    }

    /** Adds the element if there is room; never blocks. */
    boolean offer(T element) {
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            return false;
        }
        queue.offer(element);
        return true;
    }

    /**
     * Moves up to {@code max} elements, oldest first, into {@code into}; returns how many. Their places stay taken
     * until {@link #release}: the consumer first counts them as its own, so a reader adding the two never sees an
     * element in neither.
     */
    int drainTo(Collection<? super T> into, int max) {
        int n = 0;
        T e;
        while (n < max && (e = queue.poll()) != null) {
            into.add(e);
            n++;
        }
        return n;
    }

    /** Gives back the places of {@code n} drained elements. */
    void release(int n) {
        size.addAndGet(-n);
    }

    /** Places taken; an offer that is about to be refused may count for an instant, hence the clamp. */
    int size() {
        return Math.min(capacity, Math.max(0, size.get()));
    }

    int remainingCapacity() {
        return Math.max(0, capacity - size.get());
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }

    /** A copy of what waits, oldest first (tests and shutdown reports). */
    List<T> snapshot() {
        return new ArrayList<>(queue);
    }
}
