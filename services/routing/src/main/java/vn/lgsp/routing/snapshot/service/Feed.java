package vn.lgsp.routing.snapshot.service;

import org.jboss.logging.Logger;

/**
 * One upstream feed's polling state: at most one poll at a time, and a poll that has not finished well past every
 * timeout it is subject to is abandoned rather than trusted to finish. Every step of a poll has its own timeout,
 * but if one is ever missed (a pool waiter never served, a future nobody completes) the feed would otherwise stay
 * "in flight" for good and the gateway would silently stop following catalog or auth. Each poll holds a ticket; an
 * abandoned poll's ticket is no longer current, so its late answer is dropped instead of overwriting a newer one.
 */
final class Feed {

    private static final Logger LOG = Logger.getLogger(Feed.class);

    final String name;
    private volatile long overdueNanos;
    private long ticket;
    private boolean inFlight;
    private long startedAt;
    volatile String etag;
    volatile boolean failing;

    Feed(String name, java.time.Duration overdueAfter) {
        this.name = name;
        overdueAfter(overdueAfter);
    }

    /** Set once the configuration is known (the loader's start); until then the constructor's. */
    void overdueAfter(java.time.Duration overdueAfter) {
        this.overdueNanos = overdueAfter.toNanos();
    }

    /**
     * Starts a poll: its ticket, or -1 while the previous poll is still running and not overdue. An overdue one is
     * abandoned (logged) and a new ticket issued.
     */
    synchronized long begin(long nowNanos) {
        if (inFlight) {
            if (nowNanos - startedAt < overdueNanos) {
                return -1;
            }
            LOG.warnf("A poll of the %s feed has not finished after %d s; abandoning it and polling again", name,
                    (nowNanos - startedAt) / 1_000_000_000L);
        }
        inFlight = true;
        startedAt = nowNanos;
        return ++ticket;
    }

    /** Whether the poll holding this ticket is still the feed's current one (not abandoned). */
    synchronized boolean current(long ticket) {
        return inFlight && ticket == this.ticket;
    }

    /**
     * The poll holding this ticket is over, so the next may start; the first failure and the recovery are logged
     * once each. An abandoned poll's end changes nothing.
     */
    void end(long ticket, Throwable failure) {
        synchronized (this) {
            if (ticket != this.ticket) {
                return;
            }
            inFlight = false;
        }
        if (failure == null) {
            if (failing) {
                LOG.infof("The %s feed is reachable again", name);
            }
            failing = false;
        } else if (!failing) {
            failing = true;
            String why = failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
            LOG.warnf("Could not poll the %s feed (%s); serving from the last good snapshot", name, why);
        }
    }
}
