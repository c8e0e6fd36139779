package vn.lgsp.routing.audit;

/**
 * Helpers for the events routing hands to audit. audit validates each batch all-or-nothing, so one oversized
 * field would block the whole backlog: every free-form value is clipped to audit's column sizes here.
 */
public final class AuditRecords {

    private AuditRecords() {
    }

    public static String clip(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
