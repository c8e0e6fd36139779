package vn.lgsp.common.id;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** UUIDs drawn on the request path. */
public final class Uuids {

    private Uuids() {
    }

    /**
     * A random (version 4) UUID without the lock of the shared SecureRandom behind {@link UUID#randomUUID()}: two
     * event loops drawing one per call contend on that lock (a futex wait each time). For ids that must be unique,
     * not unpredictable — request ids, audit event ids — never for secrets, tokens or anything an attacker could
     * profit from guessing.
     */
    public static UUID fastRandom() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long msb = (r.nextLong() & 0xffffffffffff0fffL) | 0x0000000000004000L;
        long lsb = (r.nextLong() & 0x3fffffffffffffffL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
