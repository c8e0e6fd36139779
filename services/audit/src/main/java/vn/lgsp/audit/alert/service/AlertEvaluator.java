package vn.lgsp.audit.alert.service;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import vn.lgsp.audit.alert.service.AlertRuleService.AlertRule;
import vn.lgsp.audit.support.AuditClock;
import vn.lgsp.audit.support.AuditConfig;
import vn.lgsp.audit.support.Db;
import vn.lgsp.common.text.Texts;

/**
 * Evaluates every enabled rule every {@code lgsp.audit.alerts.interval} from the per-minute counters and the
 * upstream reachability table (never the raw log): opens an alert per firing subject, resolves it when the
 * condition clears, notifies the rule's webhook (asynchronously: a slow or failing webhook never delays evaluation),
 * and exports {@code lgsp_audit_alert_active{rule="..."}} = the number of open alerts of the rule.
 */
@ApplicationScoped
public class AlertEvaluator {

    private static final Logger LOG = Logger.getLogger(AlertEvaluator.class);

    @Inject
    Db db;

    @Inject
    AuditClock clock;

    @Inject
    AuditConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    WebhookNotifier webhooks;

    private final Map<String, AtomicInteger> active = new ConcurrentHashMap<>();
    private final Map<String, Gauge> gauges = new ConcurrentHashMap<>();
    private ScheduledExecutorService executor;

    void start(@Observes StartupEvent ev) {
        if (!config.alerts().enabled()) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lgsp-audit-alerts");
            t.setDaemon(true);
            return t;
        });
        long every = config.alerts().interval().toMillis();
        executor.scheduleWithFixedDelay(() -> {
            try {
                evaluate(clock.now());
            } catch (RuntimeException e) {
                LOG.warnf("Alert evaluation failed: %s", e.getMessage());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent ev) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /** A firing condition for one subject of a rule. */
    record Firing(String subject, String agency, Double value, String detail) {
    }

    /** One evaluation of every rule as of {@code now}; returns open alerts per rule name. */
    public synchronized Map<String, Integer> evaluate(Instant now) {
        Map<String, Integer> result = new LinkedHashMap<>();
        for (Row r : db.q("SELECT * FROM audit_alert_rule ORDER BY name")) {
            AlertRule rule = AlertRuleService.map(r);
            Map<String, Firing> firing = rule.enabled() ? conditions(rule, now) : Map.of();
            Map<String, UUID> open = new HashMap<>();
            for (Row a : db.q("SELECT id, subject FROM audit_alert WHERE rule_name = $1 AND state = 'open'", rule.name())) {
                open.put(a.getString("subject"), a.getUUID("id"));
            }
            Instant at = now.truncatedTo(ChronoUnit.MICROS);
            for (Firing f : firing.values()) {
                if (!open.containsKey(f.subject())) {
                    UUID id = UUID.randomUUID();
                    // Another replica may have opened it first: only the one whose insert took logs and notifies.
                    if (db.q("""
                            INSERT INTO audit_alert (id, rule_id, rule_name, kind, subject, agency_code, state, value,
                              detail, opened_at) VALUES ($1,$2,$3,$4,$5,$6,'open',$7,$8,$9)
                            ON CONFLICT (rule_name, subject) WHERE state = 'open' DO NOTHING""",
                            id, rule.id(), rule.name(), rule.kind(), f.subject(), f.agency(), f.value(), Texts.clip(f.detail(), 1024),
                            at).rowCount() == 1) {
                        LOG.infof("Alert opened: rule %s, %s", rule.name(), f.subject());
                        webhooks.notify(rule, AlertService.find(db, id));
                    }
                }
            }
            for (Map.Entry<String, UUID> o : open.entrySet()) {
                if (!firing.containsKey(o.getKey())) {
                    // Another replica may have resolved it first: only the one that did notifies.
                    if (db.q("UPDATE audit_alert SET state = 'resolved', resolved_at = $2 WHERE id = $1 AND state = 'open'",
                            o.getValue(), at).rowCount() == 1) {
                        LOG.infof("Alert resolved: rule %s, %s", rule.name(), o.getKey());
                        webhooks.notify(rule, AlertService.find(db, o.getValue()));
                    }
                }
            }
            gauge(rule.name()).set(firing.size());
            result.put(rule.name(), firing.size());
        }
        return result;
    }

    Map<String, Firing> conditions(AlertRule rule, Instant now) {
        Map<String, Firing> out = new LinkedHashMap<>();
        if (AlertRuleService.PROVIDER_UNREACHABLE.equals(rule.kind())) {
            StringBuilder sql = new StringBuilder("SELECT * FROM audit_provider_health WHERE unreachable");
            List<Object> args = new ArrayList<>();
            filters(sql, args, rule);
            for (Row r : db.q(sql.toString(), args.toArray())) {
                String subject = r.getString("provider_system") + " " + r.getString("service_code") + "/"
                        + r.getString("service_version") + " " + r.getString("environment");
                out.put(subject, new Firing(subject.strip(), emptyToNull(r.getString("provider_agency")), null,
                        "unreachable since " + Db.instant(r, "since") + (r.getString("detail") == null ? ""
                                : ": " + r.getString("detail"))));
            }
            return out;
        }
        Instant since = now.minus(rule.windowMinutes(), ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MINUTES);
        if (AlertRuleService.AUTH_FAILURES.equals(rule.kind())) {
            return authFailures(rule, since, now);
        }
        StringBuilder sql = new StringBuilder("""
                SELECT service_code, service_version, provider_agency, provider_system, sum(calls) AS calls,
                  sum(errors_5xx) AS e5, sum(async_failed) AS af
                FROM audit_stat_minute WHERE minute >= $1 AND minute <= $2""");
        List<Object> args = new ArrayList<>(List.of(Db.utc(since), Db.utc(now)));
        filters(sql, args, rule);
        if (AlertRuleService.NO_TRAFFIC.equals(rule.kind())) {
            long calls = 0;
            for (Row r : db.q("SELECT coalesce(sum(calls), 0) AS calls FROM (" + sql + " GROUP BY 1, 2, 3, 4) x",
                    args.toArray())) {
                calls = ((Number) r.getValue("calls")).longValue();
            }
            if (calls == 0) {
                String subject = rule.serviceCode() + "/" + (rule.serviceVersion() == null ? "*" : rule.serviceVersion());
                out.put(subject, new Firing(subject, rule.providerAgency(), 0.0,
                        "no calls in the last " + rule.windowMinutes() + " minutes"));
            }
            return out;
        }
        sql.append(" GROUP BY 1, 2, 3, 4");
        for (Row r : db.q(sql.toString(), args.toArray())) {
            long calls = ((Number) r.getValue("calls")).longValue();
            long e5 = ((Number) r.getValue("e5")).longValue();
            long af = ((Number) r.getValue("af")).longValue();
            String subject = r.getString("service_code") + "/" + r.getString("service_version") + " @ "
                    + r.getString("provider_system");
            String agency = emptyToNull(r.getString("provider_agency"));
            if (AlertRuleService.ERROR_RATE.equals(rule.kind())) {
                double rate = calls == 0 ? 0 : (double) e5 / calls;
                if (calls >= rule.minCalls() && rate > rule.threshold()) {
                    out.put(subject, new Firing(subject, agency, rate, String.format(java.util.Locale.ROOT,
                            "%d of %d calls failed with 5xx (%.1f%%) in the last %d minutes", e5, calls, rate * 100,
                            rule.windowMinutes())));
                }
            } else if (AlertRuleService.ASYNC_FAILURES.equals(rule.kind()) && af >= rule.threshold()) {
                out.put(subject, new Firing(subject, agency, (double) af,
                        af + " failed asynchronous deliveries in the last " + rule.windowMinutes() + " minutes"));
            }
        }
        return out;
    }

    /**
     * One alert per claimed identity with at least {@code threshold} refused credentials in the window, wherever they
     * were tried (auth's token endpoint, a service's API); credentials that claimed no identity count as one subject.
     * Operators' alerts (no agency): the identity is as claimed, so it may not even exist.
     */
    private Map<String, Firing> authFailures(AlertRule rule, Instant since, Instant now) {
        Map<String, Firing> out = new LinkedHashMap<>();
        for (Row r : db.q("""
                SELECT client_id, sum(failures) AS failures, string_agg(DISTINCT source, ', ' ORDER BY source) AS sources
                FROM audit_stat_auth_minute WHERE minute >= $1 AND minute <= $2
                GROUP BY client_id HAVING sum(failures) >= $3 ORDER BY client_id""",
                Db.utc(since), Db.utc(now), (long) Math.ceil(rule.threshold()))) {
            long failures = ((Number) r.getValue("failures")).longValue();
            String id = r.getString("client_id");
            String subject = id.isEmpty() ? "credentials claiming no identity" : "credentials of " + id;
            out.put(subject, new Firing(Texts.clip(subject, 256), null, (double) failures, failures
                    + " refused credentials (" + r.getString("sources") + ") in the last " + rule.windowMinutes()
                    + " minutes"));
        }
        return out;
    }

    private static void filters(StringBuilder sql, List<Object> args, AlertRule rule) {
        eq(sql, args, "service_code", rule.serviceCode());
        eq(sql, args, "service_version", rule.serviceVersion());
        eq(sql, args, "provider_agency", rule.providerAgency());
        eq(sql, args, "provider_system", rule.providerSystem());
    }

    private static void eq(StringBuilder sql, List<Object> args, String column, String value) {
        if (value != null) {
            args.add(value);
            sql.append(" AND ").append(column).append(" = $").append(args.size());
        }
    }

    AtomicInteger gauge(String rule) {
        return active.computeIfAbsent(rule, name -> {
            AtomicInteger holder = new AtomicInteger();
            gauges.put(name, Gauge.builder("lgsp.audit.alert.active", holder, AtomicInteger::get)
                    .description("Open alerts of the rule").tag("rule", name).register(registry));
            return holder;
        });
    }

    /** A rule was changed or deleted: its gauge goes (or restarts at 0 with the next evaluation). */
    public void forgetRule(String name) {
        active.remove(name);
        Gauge g = gauges.remove(name);
        if (g != null) {
            registry.remove(g);
        }
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

}
