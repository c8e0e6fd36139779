package vn.lgsp.routing.exchange.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import vn.lgsp.routing.exchange.domain.Notice;

/**
 * The event stream's buffer towards a slow client (no database: streams opened without Last-Event-ID replay
 * nothing). A client that reads keeps getting every notice in order; one that stops reading is dropped once
 * {@link ExchangeNotices#STREAM_BUFFER} notices wait, and the replica lets go of its stream. Over real HTTP:
 * {@link ExchangeStreamStallTest}.
 */
class ExchangeNoticesTest {

    private Vertx vertx;
    private ExchangeNotices notices;

    @BeforeEach
    void setUp() {
        vertx = Vertx.vertx();
        notices = new ExchangeNotices();
        notices.vertx = vertx;
        notices.clock = now::get;
    }

    @AfterEach
    void tearDown() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    private final AtomicInteger abandoned = new AtomicInteger();
    private final java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(1_000_000);

    /** A subscriber asking for {@code demand} items; abandoning it cancels it, as the SSE writer does when its connection drops. */
    private AssertSubscriber<Optional<Notice>> open(String system, long demand) {
        AssertSubscriber<Optional<Notice>> subscriber = AssertSubscriber.create(demand);
        notices.stream(system, "production", null, 60_000, System.currentTimeMillis() + 60_000, () -> false, () -> {
            abandoned.incrementAndGet();
            subscriber.cancel();
        }).subscribe().withSubscriber(subscriber);
        return subscriber;
    }

    private void publish(String system, int count) {
        for (int i = 1; i <= count; i++) {
            notices.dispatch(new Notice(i, system, "production", "exchange.ready", new JsonObject().put("n", i)));
        }
    }

    @Test
    void aReadingClientGetsEveryNoticeInOrder() {
        int count = ExchangeNotices.STREAM_BUFFER * 2;
        AssertSubscriber<Optional<Notice>> reader = open("HT-DOC", Long.MAX_VALUE);
        publish("HT-DOC", count);
        List<Optional<Notice>> items = reader.getItems();
        assertEquals(count + 1, items.size(), "the opening keep-alive, then every notice");
        assertTrue(items.get(0).isEmpty());
        for (int i = 1; i <= count; i++) {
            assertEquals(i, items.get(i).orElseThrow().id());
        }
        reader.assertNotTerminated();
        assertEquals(0, abandoned.get());
        assertEquals(1, notices.streams());
        reader.cancel();
        assertEquals(0, notices.streams(), "a cancelled stream is let go");
    }

    @Test
    void aBurstToAClientThatIsReadingIsNoReasonToDropItButTheHardLimitIs() {
        AssertSubscriber<Optional<Notice>> busy = open("HT-BAN", 1); // a write in progress: it took something just now
        publish("HT-BAN", ExchangeNotices.STREAM_BUFFER * 2);
        assertEquals(0, abandoned.get(), "a burst is not a stall");
        busy.request(10);
        assertEquals(11, busy.getItems().size(), "the writer goes on taking them in order");
        assertEquals(10, busy.getItems().get(10).orElseThrow().id());
        publish("HT-BAN", ExchangeNotices.HARD_LIMIT);
        assertEquals(1, abandoned.get(), "beyond the hard limit, memory wins");
        assertEquals(0, notices.streams());
    }

    @Test
    void aStalledClientsStreamEndsAtTheBufferAndIsLetGo() {
        AssertSubscriber<Optional<Notice>> stalled = open("HT-CHAM", 1); // takes the opening keep-alive, then nothing
        AssertSubscriber<Optional<Notice>> other = open("HT-KHAC", Long.MAX_VALUE);
        now.addAndGet(ExchangeNotices.STALL_MILLIS); // and has taken nothing since
        publish("HT-CHAM", ExchangeNotices.STREAM_BUFFER);
        assertEquals(0, abandoned.get(), "up to the buffer's size, notices wait for the client");
        assertEquals(2, notices.streams());

        publish("HT-CHAM", 1); // one more than the buffer holds
        assertEquals(1, abandoned.get(), "the stalled client is dropped");
        assertEquals(1, stalled.getItems().size(), "nothing beyond what it asked for was pushed");
        assertEquals(1, notices.streams(), "the stalled stream's listener and timers are gone");
        publish("HT-CHAM", 10);
        assertEquals(1, abandoned.get(), "dropped once");

        publish("HT-KHAC", 3);
        other.assertNotTerminated();
        assertEquals(4, other.getItems().size(), "other systems' streams are untouched");
    }
}
