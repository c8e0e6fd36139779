package vn.lgsp.audit.integrity.service;

import java.security.PublicKey;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import vn.lgsp.audit.integrity.service.IntegrityService.Break;
import vn.lgsp.common.audit.AuditEvent;

/**
 * The verification of one chain day, independent of how rows are read (the service's pool or the offline
 * {@link vn.lgsp.audit.integrity.ChainVerifierMain} over JDBC): feed the day's rows in sequence order, then finish with
 * the day's anchor (if any) and the head (for the open day). The first broken link wins.
 */
public final class ChainCheck {

    /** One stored record with its chain position. */
    public record Link(long seq, String hash, Instant receivedAt, AuditEvent event) {
    }

    /** A stored anchor. */
    public record AnchorRow(long count, String lastHash, String keyId, String algorithm, String signature) {
    }

    private final LocalDate day;
    private String prev;
    private long expected = 1;
    private long records;
    private Break broken;
    private final Map<Long, String> expired;

    public ChainCheck(LocalDate day) {
        this(day, Map.of());
    }

    /** {@code expired}: sequence → hash of rows of this day removed by retention with their month (late arrivals). */
    public ChainCheck(LocalDate day, Map<Long, String> expired) {
        this.day = day;
        this.prev = ChainHash.genesis(day);
        this.expired = expired;
    }

    /** Steps over rows that retention removed lawfully: their recorded hash keeps the chain linked. */
    private void skipExpired(long upTo) {
        while (expected < upTo && expired.containsKey(expected)) {
            prev = expired.get(expected);
            expected++;
            records++;
        }
    }

    /** The next sequence this check expects (rows before it have been checked). */
    public long expected() {
        return expected;
    }

    public long records() {
        return records;
    }

    public Break broken() {
        return broken;
    }

    /** Checks the next row; false once the chain is broken (stop feeding). */
    public boolean accept(Link l) {
        if (broken != null) {
            return false;
        }
        String id = l.event().eventId().toString();
        skipExpired(l.seq());
        if (l.seq() > expected) {
            broken = new Break(IntegrityService.MISSING, day, expected, null, id, null, null, "records " + expected
                    + (l.seq() - 1 > expected ? "…" + (l.seq() - 1) : "") + " of the day are missing (deleted); the chain "
                    + "resumes at sequence " + l.seq());
            return false;
        }
        if (l.seq() < expected) {
            broken = new Break(IntegrityService.INSERTED, day, l.seq(), id, null, null, l.hash(),
                    "a second record claims sequence " + l.seq());
            return false;
        }
        String computed = ChainHash.hash(prev, day, l.seq(), l.receivedAt(), l.event());
        if (!computed.equals(l.hash())) {
            broken = new Break(IntegrityService.ALTERED, day, l.seq(), id, null, computed, l.hash(),
                    "the record's content or hash differs from what was chained");
            return false;
        }
        prev = l.hash();
        expected++;
        records++;
        return true;
    }

    /**
     * After the last row: checks the anchor (signature, count, last hash) or, for a day without anchor that the head
     * still points at, that no tail was deleted. {@code headDay}/{@code headSeq} may be null/0 when unknown.
     */
    public Break finish(AnchorRow anchor, Map<String, PublicKey> keys, LocalDate headDay, long headSeq, String headHash) {
        if (broken != null) {
            return broken;
        }
        skipExpired(Long.MAX_VALUE);
        long count = expected - 1;
        if (anchor != null) {
            PublicKey key = keys.get(anchor.keyId());
            if (key == null || !AnchorSigner.verify(anchor.algorithm(), key,
                    AnchorSigner.payload(day, anchor.count(), anchor.lastHash()), anchor.signature())) {
                broken = new Break(IntegrityService.ANCHOR_INVALID, day, anchor.count(), null, null, null, null,
                        "the anchor's signature does not verify with key " + anchor.keyId());
            } else if (anchor.count() > count) {
                broken = new Break(IntegrityService.MISSING, day, count + 1, null, null, anchor.lastHash(), prev,
                        "the signed anchor counts " + anchor.count() + " records, the chain has " + count + " (tail deleted)");
            } else if (anchor.count() < count || !anchor.lastHash().equals(prev)) {
                broken = new Break(IntegrityService.ANCHOR_MISMATCH, day, count, null, null, anchor.lastHash(), prev,
                        "the chain's last hash or count differs from the signed anchor");
            }
        } else if (headDay != null && headDay.equals(day) && headSeq > count) {
            broken = new Break(IntegrityService.MISSING, day, count + 1, null, null, headHash, prev,
                    "the chain head is at sequence " + headSeq + " but the chain ends at " + count + " (tail deleted)");
        }
        return broken;
    }
}
