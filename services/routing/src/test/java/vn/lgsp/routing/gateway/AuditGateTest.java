package vn.lgsp.routing.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import vn.lgsp.common.audit.AuditEvent;
import vn.lgsp.common.audit.AuditPublisher;
import vn.lgsp.routing.config.RoutingConfig;

/** The admission rule: calls in flight must fit in the publisher's room (each will offer one record). */
class AuditGateTest {

    /** What the publisher reports: free hand-off slots (spool), or buffer size less pending (memory only). */
    private final AtomicInteger room = new AtomicInteger();
    /** How records were handed over; the spool refuses a plain offer once it holds max-bytes. */
    private final List<String> offers = new ArrayList<>();

    private AuditGate gate(boolean refuse) {
        AuditGate gate = new AuditGate();
        gate.publisher = new AuditPublisher() {
            @Override
            public int room() {
                return room.get();
            }

            @Override
            public boolean offer(AuditEvent event) {
                offers.add("offer");
                return room.get() > 0;
            }

            @Override
            public boolean offerAdmitted(AuditEvent event) {
                offers.add("admitted");
                return true;
            }
        };
        gate.config = proxy(RoutingConfig.class, "refuseWhenAuditUnavailable", refuse);
        return gate;
    }

    @Test
    void admitsOnlyAsManyCallsAsTheirRecordsHaveRoom() {
        AuditGate gate = gate(true);
        room.set(2);
        assertTrue(gate.admit());
        assertTrue(gate.admit());
        assertFalse(gate.admit(), "2 calls in flight fill a room of 2");
        assertEquals(2, gate.inFlight(), "a refused call is not counted");
        gate.release();
        assertTrue(gate.admit(), "a recorded call frees its place");
        gate.release();
        gate.release();
        assertEquals(0, gate.inFlight());
    }

    @Test
    void refusesEverythingWhileThereIsNoRoomAndAdmitsAgainOnceThereIs() {
        AuditGate gate = gate(true);
        room.set(0); // the spool holds max-bytes (or the memory buffer is full): audit down or behind for a while
        assertFalse(gate.admit());
        assertFalse(gate.admit());
        assertEquals(0, gate.inFlight());
        room.set(20_000); // audit took the backlog: segments deleted, the hand-off free
        assertTrue(gate.admit(), "audit back: admit again");
    }

    @Test
    void anAdmittedCallIsRecordedEvenIfTheSpoolFilledWhileItWasServed() {
        AuditGate gate = gate(true);
        room.set(1);
        assertTrue(gate.admit());
        room.set(0); // other calls' records reached max-bytes meanwhile
        assertTrue(gate.record(AuditEvent.adminAction("routing", "r1", "a", "b", "c", "d", null, null, null)));
        assertEquals(List.of("admitted"), offers, "its place was counted at admission");
    }

    @Test
    void canBeConfiguredToServeUnlogged() {
        AuditGate gate = gate(false);
        room.set(0);
        assertTrue(gate.admit());
        assertFalse(gate.record(AuditEvent.adminAction("routing", "r1", "a", "b", "c", "d", null, null, null)),
                "nothing was counted for it: a full spool refuses its record");
        assertEquals(List.of("offer"), offers);
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, String method, Object value) {
        return (T) Proxy.newProxyInstance(AuditGateTest.class.getClassLoader(), new Class<?>[] { type }, (p, m, a) -> {
            if (m.getName().equals(method)) {
                return value;
            }
            throw new UnsupportedOperationException(m.getName());
        });
    }
}
