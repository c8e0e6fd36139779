package vn.lgsp.audit.evaluation.service;

import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import vn.lgsp.audit.evaluation.service.EvaluationMethod.Indicators;
import vn.lgsp.audit.support.Db;

/**
 * The monitoring data behind an evaluation, from the daily rollups only (never the raw log, so a year of a busy
 * province is a few thousand rows). Calls an agency makes to itself are left out everywhere: the criteria are about
 * sharing between agencies. Calls nobody could be identified for (no consumer agency) are nobody's.
 */
@ApplicationScoped
public class IndicatorQuery {

    /** 5xx answers that are not the provider's failure: an announced maintenance window, or the platform's own audit. */
    static final String[] NOT_PROVIDER_FAILURES = { "maintenance", "audit-unavailable" };

    /** Refusals that mean the caller went beyond what it was granted: no permission, no subscription, over its rate. */
    static final String[] VIOLATIONS = { "forbidden", "not-subscribed", "access-level", "rate-limited" };

    @Inject
    Db db;

    /** Every agency with traffic in the period, as consumer or as provider. */
    public List<String> activeAgencies(LocalDate from, LocalDate to) {
        TreeSet<String> out = new TreeSet<>();
        for (Row r : db.q("""
                SELECT consumer_agency AS agency FROM audit_stat_daily WHERE day BETWEEN $1 AND $2 AND consumer_agency <> ''
                UNION SELECT provider_agency FROM audit_stat_daily WHERE day BETWEEN $1 AND $2 AND provider_agency <> ''""",
                from, to)) {
            out.add(r.getString("agency"));
        }
        return new ArrayList<>(out);
    }

    /** One agency's counts as the four queries below fill them in. */
    private static final class Counts {
        long callsServed, failedServed, consumerAgenciesServed, servicesProvided;
        long callsMade, violations, providerAgenciesUsed, servicesUsed;

        Indicators indicators() {
            return new Indicators(callsServed, failedServed, consumerAgenciesServed, servicesProvided, callsMade,
                    violations, providerAgenciesUsed, servicesUsed);
        }
    }

    public Map<String, Indicators> measure(LocalDate from, LocalDate to, List<String> agencies) {
        String[] codes = agencies.toArray(String[]::new);
        Map<String, Counts> counts = new HashMap<>();
        // As provider: calls from other identified agencies, its 5xx, who called, which of its services.
        for (Row r : db.q("""
                SELECT provider_agency AS agency, sum(calls) AS calls, sum(errors_5xx) AS e5,
                  count(DISTINCT consumer_agency) AS consumers, count(DISTINCT service_code) AS services
                FROM audit_stat_daily
                WHERE day BETWEEN $1 AND $2 AND provider_agency = ANY($3) AND consumer_agency <> ''
                  AND consumer_agency <> provider_agency
                GROUP BY provider_agency""", from, to, codes)) {
            Counts c = counts.computeIfAbsent(r.getString("agency"), k -> new Counts());
            c.callsServed = r.getLong("calls");
            c.failedServed = r.getLong("e5");
            c.consumerAgenciesServed = r.getLong("consumers");
            c.servicesProvided = r.getLong("services");
        }
        // Of those 5xx, the ones that were not the provider's failure.
        for (Row r : db.q("""
                SELECT provider_agency AS agency, sum(calls) AS calls FROM audit_stat_error_daily
                WHERE day BETWEEN $1 AND $2 AND provider_agency = ANY($3) AND consumer_agency <> ''
                  AND consumer_agency <> provider_agency AND error_type = ANY($4)
                GROUP BY provider_agency""", from, to, codes, NOT_PROVIDER_FAILURES)) {
            Counts c = counts.computeIfAbsent(r.getString("agency"), k -> new Counts());
            c.failedServed = Math.max(0, c.failedServed - r.getLong("calls"));
        }
        // As consumer: its calls to other agencies (refused ones included), whose services it used.
        for (Row r : db.q("""
                SELECT consumer_agency AS agency, sum(calls) AS calls,
                  count(DISTINCT provider_agency) FILTER (WHERE provider_agency <> '') AS providers,
                  count(DISTINCT service_code) FILTER (WHERE service_code <> '') AS services
                FROM audit_stat_daily
                WHERE day BETWEEN $1 AND $2 AND consumer_agency = ANY($3) AND provider_agency <> consumer_agency
                GROUP BY consumer_agency""", from, to, codes)) {
            Counts c = counts.computeIfAbsent(r.getString("agency"), k -> new Counts());
            c.callsMade = r.getLong("calls");
            c.providerAgenciesUsed = r.getLong("providers");
            c.servicesUsed = r.getLong("services");
        }
        // Of those, the ones refused as going beyond what it was granted.
        for (Row r : db.q("""
                SELECT consumer_agency AS agency, sum(calls) AS calls FROM audit_stat_error_daily
                WHERE day BETWEEN $1 AND $2 AND consumer_agency = ANY($3) AND provider_agency <> consumer_agency
                  AND error_type = ANY($4)
                GROUP BY consumer_agency""", from, to, codes, VIOLATIONS)) {
            counts.computeIfAbsent(r.getString("agency"), k -> new Counts()).violations = r.getLong("calls");
        }
        Map<String, Indicators> out = new HashMap<>();
        for (String agency : agencies) {
            Counts c = counts.get(agency);
            out.put(agency, c == null ? Indicators.NONE : c.indicators());
        }
        return out;
    }
}
