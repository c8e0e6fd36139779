package vn.lgsp.common.access;

import java.util.Locale;

/**
 * The levels of access to a provider's data (REQUIREMENTS A3, Lào Cai Art. 21.3), each including the ones before it:
 * view (a: truy cập, xem), use (b: khai thác, sử dụng), update (c: cập nhật, chỉnh sửa), share onward (d: chia sẻ,
 * cung cấp cho hệ thống, đơn vị khác). A subscription is granted one level; a version's operations each require one
 * ({@link AccessRules}). catalog stores and validates them, routing enforces them, so both read this one definition.
 */
public enum AccessLevel {
    VIEW, USE, UPDATE, SHARE;

    /** For request fields: the wire names, and the message naming them. */
    public static final String PATTERN = "^(view|use|update|share)$";
    public static final String MESSAGE = "must be one of view, use, update, share";

    /** What an application that does not say gets: the usual consumer relation, not the right to change data. */
    public static final AccessLevel DEFAULT = USE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The level of a wire name; null for null or an unknown name. */
    public static AccessLevel of(String wire) {
        if (wire == null) {
            return null;
        }
        return switch (wire) {
            case "view" -> VIEW;
            case "use" -> USE;
            case "update" -> UPDATE;
            case "share" -> SHARE;
            default -> null;
        };
    }

    /** Whether holding this level allows an operation that requires {@code required}. */
    public boolean covers(AccessLevel required) {
        return ordinal() >= required.ordinal();
    }

    public static AccessLevel higher(AccessLevel a, AccessLevel b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    /**
     * The level an operation requires when no rule of its version names it, from its method alone: reading
     * (GET, HEAD, OPTIONS) is view; POST is use, because lookups by citizen or enterprise identifier are sent as POST
     * bodies so that the identifiers stay out of URLs and access logs; PUT, PATCH, DELETE and any other method change
     * data: update. A provider whose POST writes maps it to update with a rule.
     */
    public static AccessLevel defaultFor(String method) {
        return switch (method) {
            case "GET", "HEAD", "OPTIONS" -> VIEW;
            case "POST" -> USE;
            default -> UPDATE;
        };
    }
}
