package vn.lgsp.audit.stats.service;

import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import vn.lgsp.audit.support.Db;

/**
 * Statistics from the daily rollups only (never the raw log): filter, group by the requested dimensions, sum the
 * counters and histograms, and compute p50/p95/p99 from the summed histogram (see {@link LatencyHistogram}).
 */
@ApplicationScoped
public class StatisticsService {

    /** Dimensions a caller may group by, and their rollup columns. */
    public static final Map<String, String> DIMENSIONS = new LinkedHashMap<>();

    static {
        DIMENSIONS.put("day", "day");
        DIMENSIONS.put("consumerAgency", "consumer_agency");
        DIMENSIONS.put("consumerSystem", "consumer_system");
        DIMENSIONS.put("providerAgency", "provider_agency");
        DIMENSIONS.put("providerSystem", "provider_system");
        DIMENSIONS.put("service", "service_code");
        DIMENSIONS.put("version", "service_version");
        DIMENSIONS.put("mode", "mode");
    }

    @Inject
    Db db;

    public record Filter(LocalDate from, LocalDate to, String consumerAgency, String consumerSystem,
            String providerAgency, String providerSystem, String service, String version, String mode,
            String visibleToAgency) {
    }

    public List<Group> query(Filter f, List<String> groupBy) {
        StringBuilder where = new StringBuilder(" WHERE day BETWEEN $1 AND $2");
        List<Object> args = new ArrayList<>(List.of(f.from(), f.to()));
        eq(where, args, "consumer_agency", f.consumerAgency());
        eq(where, args, "consumer_system", f.consumerSystem());
        eq(where, args, "provider_agency", f.providerAgency());
        eq(where, args, "provider_system", f.providerSystem());
        eq(where, args, "service_code", f.service());
        eq(where, args, "service_version", f.version());
        eq(where, args, "mode", f.mode());
        if (f.visibleToAgency() != null) {
            args.add(f.visibleToAgency());
            where.append(" AND (consumer_agency = $").append(args.size()).append(" OR provider_agency = $")
                    .append(args.size()).append(')');
        }
        Map<String, Group> groups = new TreeMap<>();
        for (Row r : db.q("SELECT * FROM audit_stat_daily" + where, args.toArray())) {
            Map<String, String> key = new LinkedHashMap<>();
            for (String dim : groupBy) {
                Object v = r.getValue(DIMENSIONS.get(dim));
                key.put(dim, v == null ? "" : v.toString());
            }
            Group g = groups.computeIfAbsent(String.join("\u0001", key.values()), k -> new Group(key));
            g.calls += r.getLong("calls");
            g.errors4xx += r.getLong("errors_4xx");
            g.errors5xx += r.getLong("errors_5xx");
            g.requestBytes += r.getLong("request_bytes");
            g.responseBytes += r.getLong("response_bytes");
            g.latencySum += r.getLong("latency_sum");
            g.latencyMax = Math.max(g.latencyMax, r.getLong("latency_max"));
            Long[] hist = r.getArrayOfLongs("latency_hist");
            for (int i = 0; i < hist.length && i < g.hist.length; i++) {
                g.hist[i] += hist[i];
            }
        }
        for (Row r : db.q("SELECT * FROM audit_stat_error_daily" + where, args.toArray())) {
            Map<String, String> key = new LinkedHashMap<>();
            for (String dim : groupBy) {
                Object v = r.getValue(DIMENSIONS.get(dim));
                key.put(dim, v == null ? "" : v.toString());
            }
            Group g = groups.get(String.join("\u0001", key.values()));
            if (g != null) {
                g.errorTypes.merge(r.getString("error_type"), r.getLong("calls"), Long::sum);
            }
        }
        return new ArrayList<>(groups.values());
    }

    private static void eq(StringBuilder sql, List<Object> args, String column, String value) {
        if (value != null && !value.isBlank()) {
            args.add(value);
            sql.append(" AND ").append(column).append(" = $").append(args.size());
        }
    }

    /** One group of the answer. */
    public static final class Group {
        public final Map<String, String> key;
        public long calls;
        public long errors4xx;
        public long errors5xx;
        public long requestBytes;
        public long responseBytes;
        public long latencySum;
        public long latencyMax;
        public final Map<String, Long> errorTypes = new TreeMap<>();
        final long[] hist = new long[LatencyHistogram.SIZE];

        Group(Map<String, String> key) {
            this.key = key;
        }

        public Long p50() {
            return LatencyHistogram.percentile(hist, 0.50, latencyMax);
        }

        public Long p95() {
            return LatencyHistogram.percentile(hist, 0.95, latencyMax);
        }

        public Long p99() {
            return LatencyHistogram.percentile(hist, 0.99, latencyMax);
        }

        public Double latencyMeanMs() {
            return calls == 0 ? null : (double) latencySum / calls;
        }
    }
}
