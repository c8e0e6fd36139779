package vn.lgsp.audit.stats.service;

import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import vn.lgsp.audit.support.Db;
import vn.lgsp.common.audit.AuditEvent;
import vn.lgsp.common.problem.ProblemType;
import vn.lgsp.common.time.ProvinceCalendar;

/**
 * Incremental statistics, applied in the ingest transaction to the events that were actually new (duplicates never
 * reach here, so each event counts once): daily rollups with a latency histogram, error-type counts, per-minute
 * counters for alert windows (calls, and refused credentials per claimed identity), and the latest reachability of
 * each upstream.
 */
@ApplicationScoped
public class RollupWriter {

    public static final String UNREACHABLE = "upstream-unreachable";
    public static final String RECOVERED = "upstream-recovered";

    private static final String DAILY = """
            INSERT INTO audit_stat_daily AS s (day, consumer_agency, consumer_system, provider_agency, provider_system,
              service_code, service_version, mode, calls, errors_4xx, errors_5xx, request_bytes, response_bytes,
              latency_sum, latency_max, latency_hist)
            SELECT t.day, t.ca, t.cs, t.pa, t.ps, t.sc, t.sv, t.mode, t.calls, t.e4, t.e5, t.rq, t.rs, t.ls, t.lm,
              t.hist::bigint[]
            FROM unnest($1::date[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
              $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[], $15::bigint[],
              $16::text[]) AS t(day, ca, cs, pa, ps, sc, sv, mode, calls, e4, e5, rq, rs, ls, lm, hist)
            ON CONFLICT (day, consumer_agency, consumer_system, provider_agency, provider_system, service_code,
              service_version, mode) DO UPDATE SET
              calls = s.calls + EXCLUDED.calls, errors_4xx = s.errors_4xx + EXCLUDED.errors_4xx,
              errors_5xx = s.errors_5xx + EXCLUDED.errors_5xx, request_bytes = s.request_bytes + EXCLUDED.request_bytes,
              response_bytes = s.response_bytes + EXCLUDED.response_bytes, latency_sum = s.latency_sum + EXCLUDED.latency_sum,
              latency_max = GREATEST(s.latency_max, EXCLUDED.latency_max),
              latency_hist = (SELECT array_agg(a + b ORDER BY i)
                              FROM unnest(s.latency_hist, EXCLUDED.latency_hist) WITH ORDINALITY AS t(a, b, i))""";

    private static final String ERRORS = """
            INSERT INTO audit_stat_error_daily AS s (day, consumer_agency, consumer_system, provider_agency, provider_system,
              service_code, service_version, mode, error_type, calls)
            SELECT * FROM unnest($1::date[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
              $8::text[], $9::text[], $10::bigint[])
            ON CONFLICT (day, consumer_agency, consumer_system, provider_agency, provider_system, service_code,
              service_version, mode, error_type) DO UPDATE SET calls = s.calls + EXCLUDED.calls""";

    private static final String MINUTE = """
            INSERT INTO audit_stat_minute AS s (minute, provider_agency, provider_system, service_code, service_version,
              calls, errors_5xx, async_failed)
            SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[],
              $7::bigint[], $8::bigint[])
            ON CONFLICT (minute, provider_agency, provider_system, service_code, service_version) DO UPDATE SET
              calls = s.calls + EXCLUDED.calls, errors_5xx = s.errors_5xx + EXCLUDED.errors_5xx,
              async_failed = s.async_failed + EXCLUDED.async_failed""";

    private static final String AUTH_MINUTE = """
            INSERT INTO audit_stat_auth_minute AS s (minute, source, client_id, failures)
            SELECT m, src, c, sum(f) FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::bigint[]) AS t(m, src, c, f)
            GROUP BY 1, 2, 3
            ON CONFLICT (minute, client_id, source) DO UPDATE SET failures = s.failures + EXCLUDED.failures""";

    /** routing's errorType for calls refused during an announced maintenance window. */
    static final String MAINTENANCE = "maintenance";
    /**
     * The platform's own refusals of a caller (4xx problem types: no subscription, access level, bad request...):
     * violations counted in the statistics, but not data that failed to pass between systems, so not async failures.
     */
    static final java.util.Set<String> CALLER_REFUSALS = java.util.Arrays.stream(ProblemType.values())
            .filter(t -> t.status() < 500).map(ProblemType::slug).collect(java.util.stream.Collectors.toUnmodifiableSet());

    private static final String HEALTH = """
            INSERT INTO audit_provider_health AS h (provider_system, provider_agency, service_code, service_version,
              environment, unreachable, since, detail)
            VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
            ON CONFLICT (provider_system, provider_agency, service_code, service_version, environment) DO UPDATE SET
              unreachable = EXCLUDED.unreachable, since = EXCLUDED.since, detail = EXCLUDED.detail
            WHERE h.since <= EXCLUDED.since""";

    public void apply(Db.Tx tx, List<AuditEvent> events) {
        Map<String, Daily> daily = new TreeMap<>();
        Map<String, long[]> errors = new TreeMap<>();
        Map<String, long[]> minutes = new TreeMap<>();
        Map<String, AuditEvent> health = new TreeMap<>();
        Map<String, long[]> refused = new TreeMap<>();
        for (AuditEvent e : events) {
            if (AuditEvent.TRANSACTION.equals(e.type())) {
                List<String> dims = dims(e);
                String key = String.join("\u0001", dims);
                Daily d = daily.computeIfAbsent(key, k -> new Daily(dims));
                int status = e.status() == null ? 0 : e.status();
                long latency = e.latencyMs() == null ? 0 : e.latencyMs();
                d.calls++;
                if (status >= 400 && status < 500) {
                    d.e4++;
                } else if (status >= 500) {
                    d.e5++;
                }
                d.reqBytes += nz(e.requestBytes());
                d.respBytes += nz(e.responseBytes());
                d.latencySum += latency;
                d.latencyMax = Math.max(d.latencyMax, latency);
                d.hist[LatencyHistogram.bucket(latency)]++;
                if (e.errorType() != null) {
                    errors.computeIfAbsent(key + "\u0001" + e.errorType(), k -> new long[1])[0]++;
                }
                Instant minute = e.occurredAt().truncatedTo(ChronoUnit.MINUTES);
                String mKey = minute + "\u0001" + dims.get(3) + "\u0001" + dims.get(4) + "\u0001" + dims.get(5)
                        + "\u0001" + dims.get(6);
                long[] m = minutes.computeIfAbsent(mKey, k -> new long[3]);
                m[0]++;
                // The per-minute counts feed the error-rate alerts: a call the gateway refused because of an announced
                // maintenance window (M8) is planned, not a provider failing. The daily statistics still count it as
                // the 5xx answer the caller got.
                if (status >= 500 && !MAINTENANCE.equals(e.errorType())) {
                    m[1]++;
                }
                if (AuditEvent.MODE_ASYNC.equals(e.mode()) && (status >= 500 || e.errorType() != null
                        && !(status >= 400 && status < 500 && CALLER_REFUSALS.contains(e.errorType())))) {
                    m[2]++;
                }
            } else if (AuditEvent.AUTH_FAILURE.equals(e.type())) {
                // Counted per claimed identity for the auth-failures alert rules. The identity is the caller's own text:
                // rows that only PostgreSQL's encoding makes equal are summed in SQL (GROUP BY), since one upsert
                // touching a row twice fails the whole batch, and the batch would be retried forever.
                refused.computeIfAbsent(e.occurredAt().truncatedTo(ChronoUnit.MINUTES) + "\u0001" + nz(e.source())
                        + "\u0001" + nz(e.clientId()), k -> new long[1])[0]++;
            } else if (AuditEvent.ALERT.equals(e.type())
                    && (UNREACHABLE.equals(e.errorType()) || RECOVERED.equals(e.errorType()))) {
                String key = String.join("\u0001", nz(e.providerSystem()), nz(e.providerAgency()), nz(e.serviceCode()),
                        nz(e.serviceVersion()), nz(e.environment()));
                AuditEvent prev = health.get(key);
                if (prev == null || !prev.occurredAt().isAfter(e.occurredAt())) {
                    health.put(key, e);
                }
            }
        }
        // One statement per table, its rows as arrays: each row is unique in its statement (aggregated above), and
        // one upsert of N rows costs PostgreSQL far less than N pipelined single-row upserts.
        if (!daily.isEmpty()) {
            Columns c = new Columns(16, daily.size());
            for (Daily d : daily.values()) {
                c.add(LocalDate.parse(d.dims.get(0)));
                for (String dim : d.dims.subList(1, d.dims.size())) {
                    c.add(dim);
                }
                c.add(d.calls, d.e4, d.e5, d.reqBytes, d.respBytes, d.latencySum, d.latencyMax);
                StringBuilder hist = new StringBuilder("{");
                for (int i = 0; i < d.hist.length; i++) {
                    hist.append(i == 0 ? "" : ",").append(d.hist[i]);
                }
                c.add(hist.append('}').toString());
            }
            tx.q(DAILY, c.arrays(LocalDate[]::new, String[]::new, Long[]::new));
        }
        if (!errors.isEmpty()) {
            Columns c = new Columns(10, errors.size());
            errors.forEach((k, n) -> {
                String[] p = k.split("\u0001", -1);
                c.add(LocalDate.parse(p[0]));
                for (int i = 1; i < p.length; i++) {
                    c.add(p[i]);
                }
                c.add(n[0]);
            });
            tx.q(ERRORS, c.arrays(LocalDate[]::new, String[]::new, Long[]::new));
        }
        if (!minutes.isEmpty()) {
            Columns c = new Columns(8, minutes.size());
            minutes.forEach((k, m) -> {
                String[] p = k.split("\u0001", -1);
                c.add(Db.utc(Instant.parse(p[0])));
                c.add(p[1], p[2], p[3], p[4]);
                c.add(m[0], m[1], m[2]);
            });
            tx.q(MINUTE, c.arrays(OffsetDateTime[]::new, String[]::new, Long[]::new));
        }
        if (!refused.isEmpty()) {
            Columns c = new Columns(4, refused.size());
            refused.forEach((k, n) -> {
                // at most three parts: the claimed identity (last) may itself contain the separator
                String[] p = k.split("\u0001", 3);
                c.add(Db.utc(Instant.parse(p[0])));
                c.add(p[1], p[2]);
                c.add(n[0]);
            });
            tx.q(AUTH_MINUTE, c.arrays(OffsetDateTime[]::new, String[]::new, Long[]::new));
        }
        if (!health.isEmpty()) {
            List<Tuple> rows = new ArrayList<>();
            for (AuditEvent e : health.values()) {
                rows.add(Db.tuple(nz(e.providerSystem()), nz(e.providerAgency()), nz(e.serviceCode()),
                        nz(e.serviceVersion()), nz(e.environment()), UNREACHABLE.equals(e.errorType()), e.occurredAt(),
                        e.detail()));
            }
            tx.batch(HEALTH, rows);
        }
    }

    /** day (the province's calendar, as quotas and reports count), consumer agency/system, provider agency/system, service, version, mode ("" when absent, mode sync). */
    static List<String> dims(AuditEvent e) {
        return List.of(ProvinceCalendar.dateOf(e.occurredAt()).toString(), nz(e.consumerAgency()),
                nz(e.consumerSystem()), nz(e.providerAgency()), nz(e.providerSystem()), nz(e.serviceCode()),
                nz(e.serviceVersion()), e.mode() == null ? AuditEvent.MODE_SYNC : e.mode());
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static long nz(Long l) {
        return l == null ? 0 : l;
    }

    /** Rows added value by value, handed to SQL as one typed array per column (for {@code unnest}). */
    private static final class Columns {
        private final List<List<Object>> columns = new ArrayList<>();
        private int next;

        Columns(int width, int rows) {
            for (int i = 0; i < width; i++) {
                columns.add(new ArrayList<>(rows));
            }
        }

        void add(Object... values) {
            for (Object v : values) {
                columns.get(next).add(v);
                next = (next + 1) % columns.size();
            }
        }

        /** Each column as an array of its values' type: dates, timestamps, strings or longs. */
        Object[] arrays(IntFunction<Object[]> temporal, IntFunction<String[]> strings, IntFunction<Long[]> longs) {
            Object[] out = new Object[columns.size()];
            for (int i = 0; i < out.length; i++) {
                List<Object> col = columns.get(i);
                Object first = col.get(0);
                IntFunction<? extends Object[]> make = first instanceof String ? strings
                        : first instanceof Long ? longs : temporal;
                out[i] = col.toArray(make.apply(col.size()));
            }
            return out;
        }
    }

    private static final class Daily {
        final List<String> dims;
        long calls;
        long e4;
        long e5;
        long reqBytes;
        long respBytes;
        long latencySum;
        long latencyMax;
        final long[] hist = new long[LatencyHistogram.SIZE];

        Daily(List<String> dims) {
            this.dims = dims;
        }
    }
}
