package vn.lgsp.common.db;

import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Instants to and from timestamptz columns, the same way in every service: the reactive PostgreSQL client binds
 * an OffsetDateTime (not an Instant), and reads one back.
 */
public final class Timestamps {

    private Timestamps() {
    }

    /** The parameter for a timestamptz column; null stays null. */
    public static OffsetDateTime utc(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }

    /** A timestamptz column as an Instant; SQL NULL as null. */
    public static Instant instant(Row r, String column) {
        OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }
}
