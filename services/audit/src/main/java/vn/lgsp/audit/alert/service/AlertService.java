package vn.lgsp.audit.alert.service;

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

/** Alerts as operators see them: list (scoped by agency for agency admins) and acknowledge. */
@ApplicationScoped
public class AlertService {

    @Inject
    Db db;

    @Inject
    AuditClock clock;

    @Inject
    AdminLog adminLog;

    public record Alert(UUID id, UUID ruleId, String rule, String kind, String subject, String agency, String state,
            Double value, String detail, Instant openedAt, Instant resolvedAt, Instant acknowledgedAt,
            String acknowledgedBy) {
    }

    /** Where a page of alerts ends: the opening time and id of its last alert (newest first, id as tiebreak). */
    public record After(Instant openedAt, UUID id) {
    }

    /** Alerts newest first, after {@code after} (null: from the newest), at most {@code limit}. */
    public List<Alert> list(String state, String rule, String agency, After after, int limit) {
        StringBuilder sql = new StringBuilder("SELECT * FROM audit_alert WHERE true");
        List<Object> args = new ArrayList<>();
        if (state != null) {
            args.add(state);
            sql.append(" AND state = $").append(args.size());
        }
        if (rule != null) {
            args.add(rule);
            sql.append(" AND rule_name = $").append(args.size());
        }
        if (agency != null) {
            args.add(agency);
            sql.append(" AND agency_code = $").append(args.size());
        }
        if (after != null) {
            args.add(Db.utc(after.openedAt()));
            args.add(after.id());
            sql.append(" AND (opened_at, id) < ($").append(args.size() - 1).append(", $").append(args.size()).append(')');
        }
        args.add(limit);
        sql.append(" ORDER BY opened_at DESC, id DESC LIMIT $").append(args.size());
        List<Alert> out = new ArrayList<>();
        for (Row r : db.q(sql.toString(), args.toArray())) {
            out.add(map(r));
        }
        return out;
    }

    public Alert acknowledge(String actor, UUID id, String callerAgency) {
        Alert before = find(db, id);
        if (before == null || (callerAgency != null && !callerAgency.equals(before.agency()))) {
            throw ProblemException.notFound("Alert " + id);
        }
        if (before.acknowledgedAt() != null) {
            return before;
        }
        db.q("UPDATE audit_alert SET acknowledged_at = $2, acknowledged_by = $3 WHERE id = $1", id, clock.nowMicros(), actor);
        Alert after = find(db, id);
        adminLog.record(actor, "alert.acknowledge", "alert", id.toString(), before.agency(), before, after);
        return after;
    }

    static Alert find(Db db, UUID id) {
        for (Row r : db.q("SELECT * FROM audit_alert WHERE id = $1", id)) {
            return map(r);
        }
        return null;
    }

    static Alert map(Row r) {
        return new Alert(r.getUUID("id"), r.getUUID("rule_id"), r.getString("rule_name"), r.getString("kind"),
                r.getString("subject"), r.getString("agency_code"), r.getString("state"), r.getDouble("value"),
                r.getString("detail"), Db.instant(r, "opened_at"), Db.instant(r, "resolved_at"),
                Db.instant(r, "acknowledged_at"), r.getString("acknowledged_by"));
    }
}
