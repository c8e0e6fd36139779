package vn.lgsp.audit.integrity.service;

import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.PublicKey;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import vn.lgsp.audit.event.repository.EventWriter;
import vn.lgsp.audit.event.repository.EventWriter.Head;
import vn.lgsp.audit.stats.service.RollupWriter;
import vn.lgsp.audit.support.AuditClock;
import vn.lgsp.audit.support.Db;
import vn.lgsp.common.audit.AuditEvent;

/**
 * Verifies the chain day by day (recomputing every hash from the stored content), the daily anchors against their
 * signatures, and the open day's tail against the head; reports the first broken link. Also chains rows that have
 * no hash yet (rows copied by the V2 migration), once, at start-up.
 */
@ApplicationScoped
public class IntegrityService {

    private static final Logger LOG = Logger.getLogger(IntegrityService.class);
    private static final int PAGE = 2000;

    public static final String ALTERED = "altered";
    public static final String MISSING = "missing";
    public static final String INSERTED = "inserted";
    public static final String ANCHOR_INVALID = "anchor-signature-invalid";
    public static final String ANCHOR_MISMATCH = "anchor-mismatch";

    @Inject
    Db db;

    @Inject
    AuditClock clock;

    @Inject
    AnchorService anchors;

    @Inject
    RollupWriter rollups;

    public VerifyReport verify(LocalDate from, LocalDate to) {
        Map<String, PublicKey> keys = new HashMap<>();
        for (Row r : db.q("SELECT key_id, algorithm, public_key_pem FROM audit_anchor_key")) {
            keys.put(r.getString("key_id"), AnchorSigner.parsePublicKey(r.getString("algorithm"), r.getString("public_key_pem")));
        }
        Row h = db.q("SELECT chain_day, chain_seq, hash FROM audit_chain_head WHERE id = 1").iterator().next();
        Head head = new Head(h.getLocalDate("chain_day"), h.getLong("chain_seq"), h.getString("hash"));
        long records = 0;
        int anchored = 0;
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            Map<Long, String> expired = new HashMap<>();
            for (Row x : db.q("SELECT chain_seq, hash FROM audit_chain_expired WHERE chain_day = $1", day)) {
                expired.put(x.getLong("chain_seq"), x.getString("hash"));
            }
            ChainCheck check = new ChainCheck(day, expired);
            boolean more = true;
            while (more) {
                var rows = db.q("SELECT " + ChainRows.COLUMNS + " FROM audit_event WHERE chain_day = $1 AND chain_seq >= $2"
                        + " ORDER BY chain_seq LIMIT $3", day, check.expected(), PAGE);
                more = rows.size() == PAGE;
                for (Row r : rows) {
                    if (!check.accept(new ChainCheck.Link(r.getLong("chain_seq"), r.getString("hash"),
                            Db.instant(r, "received_at"), ChainRows.event(r)))) {
                        return broken(from, to, records + check.records(), anchored, check.broken());
                    }
                }
            }
            ChainCheck.AnchorRow anchor = null;
            for (Row a : db.q("SELECT * FROM audit_anchor WHERE chain_day = $1", day)) {
                anchor = new ChainCheck.AnchorRow(a.getLong("record_count"), a.getString("last_hash"),
                        a.getString("key_id"), a.getString("algorithm"), a.getString("signature"));
                anchored++;
            }
            records += check.records();
            Break b = check.finish(anchor, keys, head.day(), head.seq(), head.hash());
            if (b != null) {
                return broken(from, to, records, anchored, b);
            }
        }
        return new VerifyReport(true, from, to, records, anchored, null);
    }

    private static VerifyReport broken(LocalDate from, LocalDate to, long records, int anchored, Break b) {
        return new VerifyReport(false, from, to, records, anchored, b);
    }

    /** Chains rows without a hash (copied by the migration), oldest arrival first; returns how many. */
    public int backfill() {
        int total = 0;
        while (true) {
            int n = db.tx(tx -> {
                Head head = EventWriter.lockHead(tx);
                return chainUnhashed(tx, head);
            });
            total += n;
            if (n == 0) {
                break;
            }
        }
        if (total > 0) {
            LOG.infof("Chained %d records that had no hash yet (migrated rows)", total);
        }
        return total;
    }

    private int chainUnhashed(Db.Tx tx, Head start) {
        Head head = start;
        var rows = tx.q("SELECT " + ChainRows.COLUMNS + " FROM audit_event WHERE hash IS NULL"
                + " ORDER BY received_at, seq LIMIT 500");
        List<AuditEvent> events = new ArrayList<>();
        for (Row r : rows) {
            AuditEvent e = ChainRows.event(r);
            Instant receivedAt = Db.instant(r, "received_at");
            LocalDate day = receivedAt.atOffset(ZoneOffset.UTC).toLocalDate();
            if (head.day() == null || day.isAfter(head.day())) {
                if (head.day() != null) {
                    anchors.anchor(tx, head.day(), head.seq(), head.hash());
                }
                head = new Head(day, 0, ChainHash.genesis(day));
            }
            long seq = head.seq() + 1;
            String hash = ChainHash.hash(head.hash(), head.day(), seq, receivedAt, e);
            tx.q("UPDATE audit_event SET chain_day = $1, chain_seq = $2, hash = $3 WHERE occurred_at = $4 AND event_id = $5",
                    head.day(), seq, hash, e.occurredAt(), e.eventId());
            head = new Head(head.day(), seq, hash);
            events.add(e);
        }
        if (!events.isEmpty()) {
            EventWriter.moveHead(tx, head);
            rollups.apply(tx, events);
        }
        return events.size();
    }

    /** Anchors the head's day once it is over (the job calls this; ingest does it too when the day changes). */
    public void anchorClosedDay() {
        db.tx(tx -> {
            Head head = EventWriter.lockHead(tx);
            LocalDate today = clock.now().atOffset(ZoneOffset.UTC).toLocalDate();
            if (head.day() != null && head.day().isBefore(today)) {
                anchors.anchor(tx, head.day(), head.seq(), head.hash());
            }
            return null;
        });
    }

    /** The verdict over a range of chain days. */
    public record VerifyReport(boolean ok, LocalDate from, LocalDate to, long recordsChecked, int anchorsChecked,
            Break firstBreak) {
    }

    /**
     * The first broken link: for {@code missing}, {@code sequence} is the first absent sequence and
     * {@code followingEventId} the record after the gap; hashes are hex (expected = recomputed or anchored).
     */
    public record Break(String kind, LocalDate day, long sequence, String eventId, String followingEventId,
            String expectedHash, String actualHash, String detail) {
    }
}
