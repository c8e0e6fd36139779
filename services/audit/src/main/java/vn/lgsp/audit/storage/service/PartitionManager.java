package vn.lgsp.audit.storage.service;

import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import vn.lgsp.audit.support.Db;

/**
 * Monthly partitions of {@code audit_event} (UTC months, named {@code audit_event_pYYYYMM}). Created ahead by the
 * housekeeping job and on demand by ingest (an event for a month without a partition never fails: the function
 * creates it, and the default partition catches anything else). The cache only saves a round trip.
 */
@ApplicationScoped
public class PartitionManager {

    static final String PREFIX = "audit_event_p";
    private static final String LIST = """
            SELECT c.relname FROM pg_inherits i
              JOIN pg_class c ON c.oid = i.inhrelid
              JOIN pg_class p ON p.oid = i.inhparent
              JOIN pg_namespace n ON n.oid = p.relnamespace
            WHERE p.relname = 'audit_event' AND n.nspname = current_schema()""";

    @Inject
    Db db;

    private final Set<YearMonth> known = ConcurrentHashMap.newKeySet();

    /** Months that have a partition, oldest first (read from the catalog, not the cache). */
    public List<YearMonth> list() {
        List<YearMonth> out = new ArrayList<>();
        for (Row r : db.q(LIST)) {
            YearMonth ym = parse(r.getString("relname"));
            if (ym != null) {
                out.add(ym);
            }
        }
        out.sort(null);
        known.clear();
        known.addAll(out);
        return out;
    }

    /** Inside the caller's transaction (which holds the chain head lock): create what is missing. */
    public void ensure(Db.Tx tx, Collection<YearMonth> months) {
        for (YearMonth m : new TreeSet<>(months)) {
            if (!known.contains(m)) {
                tx.q("SELECT audit_ensure_partition($1)", m.atDay(1));
                known.add(m);
            }
        }
    }

    void forget(YearMonth month) {
        known.remove(month);
    }

    public static String name(YearMonth m) {
        return PREFIX + String.format("%04d%02d", m.getYear(), m.getMonthValue());
    }

    static YearMonth parse(String relname) {
        if (relname == null || !relname.matches(PREFIX + "\\d{6}")) {
            return null;
        }
        String d = relname.substring(PREFIX.length());
        return YearMonth.of(Integer.parseInt(d.substring(0, 4)), Integer.parseInt(d.substring(4)));
    }
}
