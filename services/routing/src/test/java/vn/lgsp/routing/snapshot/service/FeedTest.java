package vn.lgsp.routing.snapshot.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** One poll at a time per feed, an overdue poll abandoned, and an abandoned poll's end ignored. */
class FeedTest {

    private static final long S = 1_000_000_000L;

    @Test
    void aSecondPollWaitsForTheFirst() {
        Feed feed = new Feed("catalog", Duration.ofSeconds(20));
        long first = feed.begin(0);
        assertTrue(first > 0);
        assertEquals(-1, feed.begin(5 * S), "still running, not overdue");
        assertTrue(feed.current(first));
        feed.end(first, null);
        assertFalse(feed.current(first), "over");
        long second = feed.begin(6 * S);
        assertTrue(second > first);
    }

    @Test
    void anOverduePollIsAbandonedAndItsEndChangesNothing() {
        Feed feed = new Feed("catalog", Duration.ofSeconds(20));
        long stuck = feed.begin(0);
        assertEquals(-1, feed.begin(20 * S - 1));
        long next = feed.begin(20 * S);
        assertTrue(next > stuck, "a new poll once the first is overdue");
        assertFalse(feed.current(stuck), "the abandoned one's answer must be dropped");
        assertTrue(feed.current(next));

        feed.end(stuck, new IllegalStateException("late"));
        assertFalse(feed.failing, "the abandoned poll's failure is not the feed's");
        assertTrue(feed.current(next), "the abandoned poll's end does not end the new one");
        assertEquals(-1, feed.begin(21 * S), "and does not let a third start beside it");

        feed.end(next, null);
        assertTrue(feed.begin(22 * S) > next);
    }

    @Test
    void theFirstFailureAndTheRecoveryAreTracked() {
        Feed feed = new Feed("auth revocations", Duration.ofSeconds(20));
        long a = feed.begin(0);
        feed.end(a, new java.util.concurrent.TimeoutException());
        assertTrue(feed.failing);
        long b = feed.begin(S);
        feed.end(b, new IllegalStateException("HTTP 503"));
        assertTrue(feed.failing);
        long c = feed.begin(2 * S);
        feed.end(c, null);
        assertFalse(feed.failing);
    }
}
