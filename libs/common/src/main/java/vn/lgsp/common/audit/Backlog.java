package vn.lgsp.common.audit;

import java.util.List;

/**
 * Where audit events wait for the publisher's senders: in memory only ({@link MemoryBacklog}) or in memory, then on
 * disk ({@link AuditSpool}). Everything the request path calls ({@link #offer}, {@link #room}, {@link #pending}) is
 * non-blocking and does no IO.
 */
interface Backlog {

    /**
     * Queues an event; false when there is no room. Never blocks, never does IO. {@code admitted}: the caller counted
     * its place against {@link #room()} beforehand, so a bound reached since then does not refuse it.
     */
    boolean offer(AuditEvent event, boolean admitted);

    /** Events not yet accepted by audit (waiting or in a batch in flight). */
    long pending();

    /** How many more events {@link #offer} will surely accept. */
    int room();

    /** The next batch to send, oldest events first; null when nothing is ready. */
    Batch take(int maxEvents);

    /** Test support: the events still waiting (not those in a batch in flight), oldest first. */
    List<AuditEvent> snapshot();

    /**
     * Shutdown begins: {@link #room()} answers 0 from now on (the gateway admits no new call), while offers are
     * still taken, so the calls in flight are recorded and can be delivered during the drain.
     */
    void stopAdmitting();

    /** Refuses further offers and puts what is still in memory where it survives (the spool writes it out). */
    void stopAccepting();

    /** Releases files and threads; whatever is pending stays where it is. */
    void close();

    /**
     * The body of one POST to audit's batch ingest and what to do once audit accepted it. A batch audit did not
     * accept is sent again as it is: audit de-duplicates by event id.
     */
    record Batch(byte[] body, int size, Runnable onAccepted) {
    }
}
