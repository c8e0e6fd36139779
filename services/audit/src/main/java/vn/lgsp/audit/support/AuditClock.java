package vn.lgsp.audit.support;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The one clock of the service. Retention, anchors and alert windows read time here, so tests can put the
 * service exactly at a boundary (24 months, midnight) instead of waiting for it.
 */
@ApplicationScoped
public class AuditClock {

    private volatile Clock clock = Clock.systemUTC();

    public Instant now() {
        return clock.instant();
    }

    /** Now, at the precision PostgreSQL stores (microseconds), so a hashed value reads back identical. */
    public Instant nowMicros() {
        return now().truncatedTo(ChronoUnit.MICROS);
    }

    /** Test support: move the service to another time; {@code null} restores the system clock. */
    public void set(Clock replacement) {
        this.clock = replacement == null ? Clock.systemUTC() : replacement;
    }
}
