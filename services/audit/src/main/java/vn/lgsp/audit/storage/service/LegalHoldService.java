package vn.lgsp.audit.storage.service;

import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import vn.lgsp.audit.support.AdminLog;
import vn.lgsp.audit.support.AuditClock;
import vn.lgsp.audit.support.Db;
import vn.lgsp.common.problem.ProblemException;

/** Legal holds: a time range whose partitions retention must keep (e.g. during an investigation or a lawsuit). */
@ApplicationScoped
public class LegalHoldService {

    @Inject
    Db db;

    @Inject
    AuditClock clock;

    @Inject
    AdminLog adminLog;

    public List<LegalHold> active() {
        return list(false);
    }

    public List<LegalHold> list(boolean includeReleased) {
        List<LegalHold> out = new ArrayList<>();
        for (Row r : db.q("SELECT * FROM audit_legal_hold" + (includeReleased ? "" : " WHERE released_at IS NULL")
                + " ORDER BY created_at")) {
            out.add(map(r));
        }
        return out;
    }

    public LegalHold create(String actor, Instant from, Instant to, String reason) {
        LegalHold hold = new LegalHold(UUID.randomUUID(), from, to, reason, actor, clock.nowMicros(), null, null);
        db.q("""
                INSERT INTO audit_legal_hold (id, hold_from, hold_to, reason, created_by, created_at)
                VALUES ($1,$2,$3,$4,$5,$6)""", hold.id(), from, to, reason, actor, hold.createdAt());
        adminLog.record(actor, "legal-hold.create", "legal-hold", hold.id().toString(), null, null, hold);
        return hold;
    }

    public LegalHold release(String actor, UUID id) {
        LegalHold before = find(id);
        if (before.releasedAt() != null) {
            throw ProblemException.illegalTransition("released", "released");
        }
        Instant now = clock.nowMicros();
        db.q("UPDATE audit_legal_hold SET released_at = $2, released_by = $3 WHERE id = $1 AND released_at IS NULL", id,
                now, actor);
        LegalHold after = find(id);
        adminLog.record(actor, "legal-hold.release", "legal-hold", id.toString(), null, before, after);
        return after;
    }

    public LegalHold find(UUID id) {
        for (Row r : db.q("SELECT * FROM audit_legal_hold WHERE id = $1", id)) {
            return map(r);
        }
        throw ProblemException.notFound("Legal hold " + id);
    }

    private static LegalHold map(Row r) {
        return new LegalHold(r.getUUID("id"), Db.instant(r, "hold_from"), Db.instant(r, "hold_to"), r.getString("reason"),
                r.getString("created_by"), Db.instant(r, "created_at"), Db.instant(r, "released_at"),
                r.getString("released_by"));
    }

    /** A hold on [from, to). */
    public record LegalHold(UUID id, Instant from, Instant to, String reason, String createdBy, Instant createdAt,
            Instant releasedAt, String releasedBy) {
    }
}
