package vn.lgsp.routing.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When an event loop's per-version pools are replaced and closed (UpstreamClients.LoopPools). */
class LoopPoolsTest {

    /** A stand-in for an HttpClient: which pool size it was made for. */
    record Client(int size, int serial) {
    }

    private final List<Client> made = new ArrayList<>();
    private final List<Client> closed = new ArrayList<>();
    private final UpstreamClients.LoopPools<Client> pools = new UpstreamClients.LoopPools<>(
            size -> {
                Client c = new Client(size, made.size());
                made.add(c);
                return c;
            }, closed::add, 3);

    @Test
    void oneClientPerVersionAndSizeReusedAcrossCalls() {
        Client a = pools.client("ho-tich", "v1", 16);
        assertSame(a, pools.client("ho-tich", "v1", 16));
        Client b = pools.client("ho-tich", "v2", 16);
        assertNotSame(a, b, "each version has its own pool");
        assertEquals(2, pools.open());
        assertEquals(16, a.size());
    }

    @Test
    void aNewSizeGetsANewPoolAndTheOldOneClosesOnlyAfterBeingOutOfUseLongEnough() {
        Client old = pools.client("ho-tich", "v1", 16);
        Client resized = pools.client("ho-tich", "v1", 8);
        assertNotSame(old, resized);
        assertEquals(8, resized.size());
        assertEquals(2, pools.open(), "the old pool stays open for the calls still on it");
        pools.sweep();
        pools.sweep();
        assertTrue(closed.isEmpty(), "not before three sweeps out of use");
        pools.client("ho-tich", "v1", 8);
        pools.sweep();
        assertEquals(List.of(old), closed, "the replaced pool closes; the one in use stays");
        assertEquals(1, pools.open());
        assertSame(resized, pools.client("ho-tich", "v1", 8));
    }

    @Test
    void aVersionNoLongerCalledHasItsPoolClosedAndAFreshOneIfCalledAgain() {
        Client first = pools.client("dan-cu", "v1", 4);
        for (int i = 0; i < 3; i++) {
            pools.sweep();
        }
        assertEquals(List.of(first), closed);
        assertEquals(0, pools.open());
        Client again = pools.client("dan-cu", "v1", 4);
        assertNotSame(first, again, "a closed pool is never handed out again");
        pools.closeAll();
        assertEquals(List.of(first, again), closed);
    }
}
