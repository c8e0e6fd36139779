package vn.lgsp.audit.reconciliation.service;

import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import vn.lgsp.audit.integrity.service.ChainHash;
import vn.lgsp.audit.support.Db;
import vn.lgsp.audit.support.Tables;

/**
 * Reconciliation (đối soát, An Giang Art. 16.2): for one party and a period, what it exchanged with each counterpart
 * per service, version and mode (sync/async), as consumer and as provider, from the daily rollups.
 * <p>
 * The checksum is SHA-256 over a canonical text that does not depend on who asks: the period, then the rows sorted by
 * (consumer agency, consumer system, provider agency, provider system, service, version, mode) as CSV without the
 * role column. So party A's export with {@code counterpart=B} and B's export with {@code counterpart=A} have the same
 * checksum exactly when they agree. Text cells are neutralised against spreadsheet formulas before rendering
 * (a leading = + - @ tab or CR gets a ' prefix), and the checksum covers the neutralised values, i.e. what is in the file.
 */
@ApplicationScoped
public class ReconciliationService {

    public static final String VERSION = "lgsp-reconciliation-v1";
    public static final List<String> COLUMNS = List.of("role", "consumerAgency", "consumerSystem", "providerAgency",
            "providerSystem", "service", "version", "mode", "calls", "errors4xx", "errors5xx", "requestBytes",
            "responseBytes");

    @Inject
    Db db;

    public record Line(String role, String consumerAgency, String consumerSystem, String providerAgency,
            String providerSystem, String service, String version, String mode, long calls, long errors4xx,
            long errors5xx, long requestBytes, long responseBytes) {

        List<Object> cells() {
            return List.of(role, consumerAgency, consumerSystem, providerAgency, providerSystem, service, version, mode,
                    calls, errors4xx, errors5xx, requestBytes, responseBytes);
        }
    }

    public record Report(String party, String system, String counterpart, LocalDate from, LocalDate to,
            List<Line> rows, String checksum) {
    }

    public Report report(String party, String system, String counterpart, LocalDate from, LocalDate to) {
        Map<String, Line> lines = new TreeMap<>();
        collect(lines, "consumer", "consumer", "provider", party, system, counterpart, from, to);
        collect(lines, "provider", "provider", "consumer", party, system, counterpart, from, to);
        List<Line> rows = new ArrayList<>(lines.values());
        rows.sort(Comparator.comparing((Line l) -> neutralKey(l)).thenComparing(Line::role));
        return new Report(party, system, counterpart, from, to, rows, sha256(canonical(from, to, rows)));
    }

    private void collect(Map<String, Line> out, String role, String self, String other, String party, String system,
            String counterpart, LocalDate from, LocalDate to) {
        StringBuilder sql = new StringBuilder("""
                SELECT consumer_agency, consumer_system, provider_agency, provider_system, service_code, service_version,
                  mode, sum(calls) AS calls, sum(errors_4xx) AS e4, sum(errors_5xx) AS e5,
                  sum(request_bytes) AS rq, sum(response_bytes) AS rs
                FROM audit_stat_daily WHERE day BETWEEN $1 AND $2 AND\s""").append(self).append("_agency = $3");
        List<Object> args = new ArrayList<>(List.of(from, to, party));
        if (system != null) {
            args.add(system);
            sql.append(" AND ").append(self).append("_system = $").append(args.size());
        }
        if (counterpart != null) {
            args.add(counterpart);
            sql.append(" AND ").append(other).append("_agency = $").append(args.size());
        }
        sql.append(" GROUP BY 1, 2, 3, 4, 5, 6, 7");
        for (Row r : db.q(sql.toString(), args.toArray())) {
            Line l = new Line(role, r.getString("consumer_agency"), r.getString("consumer_system"),
                    r.getString("provider_agency"), r.getString("provider_system"), r.getString("service_code"),
                    r.getString("service_version"), r.getString("mode"), num(r, "calls"), num(r, "e4"), num(r, "e5"),
                    num(r, "rq"), num(r, "rs"));
            out.put(role + "\u0001" + neutralKey(l), l);
        }
    }

    private static long num(Row r, String c) {
        Object v = r.getValue(c);
        return v == null ? 0 : ((Number) v).longValue();
    }

    private static String neutralKey(Line l) {
        return String.join("\u0001", l.consumerAgency(), l.consumerSystem(), l.providerAgency(), l.providerSystem(),
                l.service(), l.version(), l.mode());
    }

    /** The text the checksum covers (see the class comment); exposed so a test or a counterpart can rebuild it. */
    public static String canonical(LocalDate from, LocalDate to, List<Line> rows) {
        StringBuilder sb = new StringBuilder(VERSION).append('\n').append("period=").append(from).append('/').append(to)
                .append('\n');
        sb.append(String.join(",", COLUMNS.subList(1, COLUMNS.size()))).append('\n');
        List<String> seen = new ArrayList<>();
        for (Line l : rows) {
            List<Object> cells = l.cells().subList(1, COLUMNS.size());
            String line = csvLine(cells);
            // A party trading with itself appears as consumer and as provider: the neutral rendering counts it once.
            if (!seen.isEmpty() && seen.get(seen.size() - 1).equals(line)) {
                continue;
            }
            seen.add(line);
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    public static String csv(Report r) {
        StringBuilder sb = new StringBuilder(String.join(",", COLUMNS)).append("\r\n");
        for (Line l : r.rows()) {
            sb.append(csvLine(l.cells())).append("\r\n");
        }
        sb.append("# SHA-256 ").append(r.checksum()).append(' ').append(VERSION).append(" period=").append(r.from())
                .append('/').append(r.to()).append("\r\n");
        return sb.toString();
    }

    public static byte[] xlsx(Report r) {
        List<List<Object>> rows = new ArrayList<>();
        for (Line l : r.rows()) {
            rows.add(l.cells());
        }
        List<List<Object>> meta = List.of(List.of("algorithm", "SHA-256"), List.of("checksum", r.checksum()),
                List.of("canonicalization", VERSION), List.of("party", r.party()),
                List.of("system", r.system() == null ? "" : r.system()),
                List.of("counterpart", r.counterpart() == null ? "" : r.counterpart()),
                List.of("from", r.from().toString()), List.of("to", r.to().toString()));
        return Tables.xlsx("LGSP audit", List.of(new Tables.Sheet("reconciliation", COLUMNS, rows),
                new Tables.Sheet("checksum", null, meta)));
    }

    static String csvLine(List<Object> cells) {
        return Tables.csvLine(cells);
    }

    public static String sha256(String text) {
        return ChainHash.sha256Hex(text);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
