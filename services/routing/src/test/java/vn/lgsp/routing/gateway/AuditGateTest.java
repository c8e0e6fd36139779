package vn.lgsp.routing.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import vn.lgsp.common.audit.AuditPublisher;
import vn.lgsp.common.client.PlatformConfig;
import vn.lgsp.routing.config.RoutingConfig;

class AuditGateTest {

    private final AtomicInteger pending = new AtomicInteger();

    private AuditGate gate(boolean refuse) {
        AuditGate gate = new AuditGate();
        gate.publisher = new AuditPublisher() {
            @Override
            public int pending() {
                return pending.get();
            }
        };
        PlatformConfig.Audit audit = proxy(PlatformConfig.Audit.class, "bufferSize", 10);
        gate.platform = proxy(PlatformConfig.class, "audit", audit);
        gate.config = proxy(RoutingConfig.class, "refuseWhenAuditUnavailable", refuse);
        return gate;
    }

    @Test
    void admitsOnlyWhatTheBufferCanStillRecord() {
        AuditGate gate = gate(true);
        pending.set(8);
        assertTrue(gate.admit());
        assertTrue(gate.admit());
        assertFalse(gate.admit(), "8 waiting + 2 in flight fill a buffer of 10");
        assertEquals(2, gate.inFlight());
        gate.release();
        assertTrue(gate.admit());
        pending.set(10);
        gate.release();
        gate.release();
        assertFalse(gate.admit(), "audit unreachable long enough to fill the buffer: refuse");
        pending.set(0);
        assertTrue(gate.admit(), "audit back: admit again");
    }

    @Test
    void canBeConfiguredToServeUnlogged() {
        AuditGate gate = gate(false);
        pending.set(10);
        assertTrue(gate.admit());
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
