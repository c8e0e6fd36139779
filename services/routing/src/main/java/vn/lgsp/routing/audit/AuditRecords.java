package vn.lgsp.routing.audit;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Helpers for the events routing hands to audit. audit validates each batch all-or-nothing, so one oversized
 * field would block the whole backlog: every free-form value is clipped to audit's column sizes here.
 */
public final class AuditRecords {

    private AuditRecords() {
    }

    /**
     * A random (version 4) event id without the lock of the shared SecureRandom behind UUID.randomUUID(): event
     * ids must be unique, not unpredictable, and are drawn on the event loop for every call.
     */
    public static UUID eventId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (r.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long lsb = (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    public static String clip(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
