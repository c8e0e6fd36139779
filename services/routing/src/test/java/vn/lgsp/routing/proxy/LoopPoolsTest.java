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

    private static UpstreamClients.Shape plain(int connections) {
        return new UpstreamClients.Shape(connections, 1);
    }

    private final List<Client> made = new ArrayList<>();
    private final List<Client> closed = new ArrayList<>();
    private final UpstreamClients.LoopPools<Client> pools = new UpstreamClients.LoopPools<>(
            shape -> {
                Client c = new Client(shape.connections(), made.size());
                made.add(c);
                return c;
            }, closed::add, 3);

    @Test
    void oneClientPerVersionAndSizeReusedAcrossCalls() {
        Client a = pools.client("ho-tich", "v1", plain(16));
        assertSame(a, pools.client("ho-tich", "v1", plain(16)));
        Client b = pools.client("ho-tich", "v2", plain(16));
        assertNotSame(a, b, "each version has its own pool");
        assertEquals(2, pools.open());
        assertEquals(16, a.size());
    }

    @Test
    void aNewSizeGetsANewPoolAndTheOldOneClosesOnlyAfterBeingOutOfUseLongEnough() {
        Client old = pools.client("ho-tich", "v1", plain(16));
        Client resized = pools.client("ho-tich", "v1", plain(8));
        assertNotSame(old, resized);
        assertEquals(8, resized.size());
        assertEquals(2, pools.open(), "the old pool stays open for the calls still on it");
        pools.sweep();
        pools.sweep();
        assertTrue(closed.isEmpty(), "not before three sweeps out of use");
        pools.client("ho-tich", "v1", plain(8));
        pools.sweep();
        assertEquals(List.of(old), closed, "the replaced pool closes; the one in use stays");
        assertEquals(1, pools.open());
        assertSame(resized, pools.client("ho-tich", "v1", plain(8)));
    }

    @Test
    void aVersionNoLongerCalledHasItsPoolClosedAndAFreshOneIfCalledAgain() {
        Client first = pools.client("dan-cu", "v1", plain(4));
        for (int i = 0; i < 3; i++) {
            pools.sweep();
        }
        assertEquals(List.of(first), closed);
        assertEquals(0, pools.open());
        Client again = pools.client("dan-cu", "v1", plain(4));
        assertNotSame(first, again, "a closed pool is never handed out again");
        pools.closeAll();
        assertEquals(List.of(first, again), closed);
    }

    @Test
    void aPipelinedLaneIsAPoolOfItsOwnAndANewDepthReplacesIt() {
        Client plain = pools.client("ho-tich", "v1", plain(8));
        Client pipelined = pools.client("ho-tich", "v1 pipelined", new UpstreamClients.Shape(8, 8));
        assertNotSame(plain, pipelined, "safe requests and the others use different connections");
        assertSame(pipelined, pools.client("ho-tich", "v1 pipelined", new UpstreamClients.Shape(8, 8)));
        Client deeper = pools.client("ho-tich", "v1 pipelined", new UpstreamClients.Shape(8, 4));
        assertNotSame(pipelined, deeper, "another depth is another pool");
        assertEquals(3, pools.open());
    }

    @Test
    void theShareIsSplitBetweenThePipelinedAndThePlainPool() {
        // no pipelining: the whole share, whatever the method
        assertEquals(new UpstreamClients.Shape(16, 1), UpstreamClients.shape(16, 1, true));
        // pipelining 8: half the share for safe requests, the rest for the others
        assertEquals(new UpstreamClients.Shape(8, 8), UpstreamClients.shape(16, 8, true));
        assertEquals(new UpstreamClients.Shape(8, 1), UpstreamClients.shape(16, 8, false));
        assertEquals(new UpstreamClients.Shape(1, 4), UpstreamClients.shape(3, 4, true));
        assertEquals(new UpstreamClients.Shape(2, 1), UpstreamClients.shape(3, 4, false));
        // a single connection cannot be split: no pipelining, the cap holds
        assertEquals(new UpstreamClients.Shape(1, 1), UpstreamClients.shape(1, 8, true));
    }

    @Test
    void onlyBodilessSafeRequestsArePipelined() {
        assertTrue(UpstreamClients.pipelinable(io.vertx.core.http.HttpMethod.GET, false));
        assertTrue(UpstreamClients.pipelinable(io.vertx.core.http.HttpMethod.HEAD, false));
        assertTrue(UpstreamClients.pipelinable(io.vertx.core.http.HttpMethod.OPTIONS, false));
        assertEquals(false, UpstreamClients.pipelinable(io.vertx.core.http.HttpMethod.GET, true), "a GET with a body");
        assertEquals(false, UpstreamClients.pipelinable(io.vertx.core.http.HttpMethod.POST, false));
        assertEquals(false, UpstreamClients.pipelinable(io.vertx.core.http.HttpMethod.PUT, false));
        assertEquals(false, UpstreamClients.pipelinable(io.vertx.core.http.HttpMethod.DELETE, false));
    }
}
