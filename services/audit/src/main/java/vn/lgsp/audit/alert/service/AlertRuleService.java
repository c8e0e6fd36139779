package vn.lgsp.audit.alert.service;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.vertx.mutiny.sqlclient.Row;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import vn.lgsp.audit.support.AdminLog;
import vn.lgsp.audit.support.AuditClock;
import vn.lgsp.audit.support.Db;
import vn.lgsp.common.problem.Problem.FieldError;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;
import vn.lgsp.common.web.Etags;

/** Alert rules: operator CRUD, each change recorded in the log with before/after. */
@ApplicationScoped
public class AlertRuleService {

    public static final String ERROR_RATE = "error-rate";
    public static final String PROVIDER_UNREACHABLE = "provider-unreachable";
    public static final String NO_TRAFFIC = "no-traffic";
    public static final String ASYNC_FAILURES = "async-failures";
    /** Refused credentials (auth_failure events) claiming one identity: guessing at a secret, or a leaked old token. */
    public static final String AUTH_FAILURES = "auth-failures";
    public static final Set<String> KINDS = Set.of(ERROR_RATE, PROVIDER_UNREACHABLE, NO_TRAFFIC, ASYNC_FAILURES,
            AUTH_FAILURES);

    @Inject
    Db db;

    @Inject
    AuditClock clock;

    @Inject
    AdminLog adminLog;

    @Inject
    AlertEvaluator evaluator;

    @Inject
    AlertWebhookSecrets secrets;

    @Inject
    WebhookNotifier notifier;

    /** What an operator sends; absent optional fields take the defaults listed in the README. */
    public record RuleRequest(String name, String kind, String serviceCode, String serviceVersion, String providerAgency,
            String providerSystem, Double threshold, Integer windowMinutes, Integer minCalls, String webhookUrl,
            Boolean enabled) {
    }

    /** {@code webhookKeyId}: the key id the rule's webhook requests are signed with (none without a webhook). */
    public record AlertRule(UUID id, String name, String kind, String serviceCode, String serviceVersion,
            String providerAgency, String providerSystem, Double threshold, int windowMinutes, int minCalls,
            String webhookUrl, boolean enabled, int version, String createdBy, Instant createdAt, Instant updatedAt,
            @JsonIgnore int webhookSecretGeneration) {

        @JsonProperty("webhookKeyId")
        public String webhookKeyId() {
            return webhookUrl == null ? null : AlertWebhookSecrets.keyId(id, webhookSecretGeneration);
        }
    }

    /** A saved rule and, when it has just been given a webhook secret, that secret (shown this once). */
    public record Saved(AlertRule rule, String webhookSecret) {
    }

    public List<AlertRule> list() {
        List<AlertRule> out = new ArrayList<>();
        for (Row r : db.q("SELECT * FROM audit_alert_rule ORDER BY name")) {
            out.add(map(r));
        }
        return out;
    }

    public AlertRule find(UUID id) {
        for (Row r : db.q("SELECT * FROM audit_alert_rule WHERE id = $1", id)) {
            return map(r);
        }
        throw ProblemException.notFound("Alert rule " + id);
    }

    public Saved create(String actor, RuleRequest req) {
        AlertRule v = validate(req, null, actor);
        if (db.q("SELECT 1 FROM audit_alert_rule WHERE name = $1", v.name()).size() > 0) {
            throw ProblemException.duplicate("name", "An alert rule named '" + v.name() + "' already exists");
        }
        db.q("""
                INSERT INTO audit_alert_rule (id, name, kind, service_code, service_version, provider_agency,
                  provider_system, threshold, window_minutes, min_calls, webhook_url, enabled, created_by, created_at,
                  updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)""",
                v.id(), v.name(), v.kind(), v.serviceCode(), v.serviceVersion(), v.providerAgency(), v.providerSystem(),
                v.threshold(), v.windowMinutes(), v.minCalls(), v.webhookUrl(), v.enabled(), v.createdBy(),
                v.createdAt(), v.updatedAt());
        adminLog.record(actor, "alert-rule.create", "alert-rule", v.id().toString(), v.providerAgency(), null, v);
        return new Saved(v, v.webhookUrl() == null ? null : secrets.secret(v.id(), v.webhookSecretGeneration()));
    }

    public Saved update(String actor, UUID id, String ifMatch, RuleRequest req) {
        AlertRule before = find(id);
        Etags.require(ifMatch, before.version());
        AlertRule v = validate(req, before, actor);
        // A webhook added to a rule that had none gets a new secret (shown in this answer); a moved one keeps its own.
        boolean added = before.webhookUrl() == null && v.webhookUrl() != null;
        if (!v.name().equals(before.name())
                && db.q("SELECT 1 FROM audit_alert_rule WHERE name = $1", v.name()).size() > 0) {
            throw ProblemException.duplicate("name", "An alert rule named '" + v.name() + "' already exists");
        }
        db.tx(tx -> {
            // Compare-and-set on the version read above: a concurrent change makes this one fail with 412.
            if (tx.q("""
                    UPDATE audit_alert_rule SET name = $2, kind = $3, service_code = $4, service_version = $5,
                      provider_agency = $6, provider_system = $7, threshold = $8, window_minutes = $9, min_calls = $10,
                      webhook_url = $11, enabled = $12, updated_at = $13, version = version + 1,
                      webhook_secret_generation = webhook_secret_generation + $15
                    WHERE id = $1 AND version = $14""",
                    id, v.name(), v.kind(), v.serviceCode(), v.serviceVersion(), v.providerAgency(), v.providerSystem(),
                    v.threshold(), v.windowMinutes(), v.minCalls(), v.webhookUrl(), v.enabled(), v.updatedAt(),
                    before.version(), added ? 1 : 0).rowCount() == 0) {
                throw new ProblemException(ProblemType.PRECONDITION_FAILED,
                        "The rule changed while you were updating it; read it again and retry");
            }
            // A changed rule starts afresh: what its old definition opened is resolved.
            tx.q("UPDATE audit_alert SET state = 'resolved', resolved_at = $2 WHERE rule_id = $1 AND state = 'open'", id,
                    clock.nowMicros());
            return null;
        });
        evaluator.forgetRule(before.name());
        AlertRule after = find(id);
        adminLog.record(actor, "alert-rule.update", "alert-rule", id.toString(), v.providerAgency(), before, after);
        return new Saved(after, added ? secrets.secret(id, after.webhookSecretGeneration()) : null);
    }

    /** A new webhook secret for the rule (the previous one stops verifying at once); audited without the secret. */
    public Saved rotateWebhookSecret(String actor, UUID id) {
        AlertRule before = find(id);
        if (before.webhookUrl() == null) {
            throw new ProblemException(ProblemType.CONFLICT, "This rule has no webhook",
                    List.of(new FieldError("webhookUrl", "required", "set a webhookUrl first")), Map.of());
        }
        db.q("UPDATE audit_alert_rule SET webhook_secret_generation = webhook_secret_generation + 1 WHERE id = $1", id);
        AlertRule after = find(id);
        adminLog.record(actor, "alert-rule.webhook-secret.rotate", "alert-rule", id.toString(), after.providerAgency(),
                null, Map.of("webhookKeyId", after.webhookKeyId()));
        return new Saved(after, secrets.secret(id, after.webhookSecretGeneration()));
    }

    public void delete(String actor, UUID id, String ifMatch) {
        AlertRule before = find(id);
        Etags.check(ifMatch, before.version());
        db.tx(tx -> {
            tx.q("UPDATE audit_alert SET state = 'resolved', resolved_at = $2 WHERE rule_id = $1 AND state = 'open'", id,
                    clock.nowMicros());
            tx.q("DELETE FROM audit_alert_rule WHERE id = $1", id);
            return null;
        });
        evaluator.forgetRule(before.name());
        adminLog.record(actor, "alert-rule.delete", "alert-rule", id.toString(), before.providerAgency(), before, null);
    }

    private AlertRule validate(RuleRequest r, AlertRule existing, String actor) {
        if (r == null) {
            throw ProblemException.field("body", "notNull", "a JSON body describing the rule is required");
        }
        List<FieldError> errors = new ArrayList<>();
        if (r.name() == null || r.name().isBlank()) {
            errors.add(new FieldError("name", "notNull", "is required"));
        } else if (!r.name().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            errors.add(new FieldError("name", "pattern", "1-64 letters, digits, '.', '_' or '-' (it labels the metric)"));
        }
        if (r.kind() == null) {
            errors.add(new FieldError("kind", "notNull", "is required; one of " + KINDS));
        } else if (!KINDS.contains(r.kind())) {
            errors.add(new FieldError("kind", "enum", "unknown kind; expected one of " + KINDS));
        }
        size(errors, "serviceCode", r.serviceCode(), 64);
        size(errors, "serviceVersion", r.serviceVersion(), 8);
        size(errors, "providerAgency", r.providerAgency(), 16);
        size(errors, "providerSystem", r.providerSystem(), 64);
        int window = r.windowMinutes() == null ? 5 : r.windowMinutes();
        if (window < 1 || window > 1440) {
            errors.add(new FieldError("windowMinutes", "range", "must be between 1 and 1440 (one day)"));
        }
        int minCalls = r.minCalls() == null ? 10 : r.minCalls();
        if (minCalls < 1 || minCalls > 1_000_000) {
            errors.add(new FieldError("minCalls", "range", "must be between 1 and 1000000"));
        }
        Double threshold = r.threshold();
        if (ERROR_RATE.equals(r.kind())) {
            if (threshold == null) {
                errors.add(new FieldError("threshold", "notNull", "an error-rate rule needs a threshold between 0 and 1"));
            } else if (!(threshold >= 0 && threshold < 1)) {
                errors.add(new FieldError("threshold", "range", "an error rate is a fraction: 0 <= threshold < 1"));
            }
        } else if (AUTH_FAILURES.equals(r.kind())) {
            threshold = threshold == null ? 10.0 : threshold;
            if (!(threshold >= 1 && threshold <= 1_000_000)) {
                errors.add(new FieldError("threshold", "range",
                        "the number of refused credentials claiming one identity in the window: 1 to 1000000"));
            }
            // Credentials belong to systems and people, not to a service: a filter here would silently match nothing.
            notApplicable(errors, "serviceCode", r.serviceCode());
            notApplicable(errors, "serviceVersion", r.serviceVersion());
            notApplicable(errors, "providerAgency", r.providerAgency());
            notApplicable(errors, "providerSystem", r.providerSystem());
        } else if (ASYNC_FAILURES.equals(r.kind())) {
            threshold = threshold == null ? 1.0 : threshold;
            if (!(threshold >= 1)) {
                errors.add(new FieldError("threshold", "range", "the number of failed deliveries in the window: at least 1"));
            }
        }
        if (NO_TRAFFIC.equals(r.kind()) && (r.serviceCode() == null || r.serviceCode().isBlank())) {
            errors.add(new FieldError("serviceCode", "notNull", "a no-traffic rule names the service where traffic is expected"));
        }
        if (r.webhookUrl() != null && !r.webhookUrl().isBlank()) {
            try {
                URI u = URI.create(r.webhookUrl());
                if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                    throw new IllegalArgumentException();
                }
                if (r.webhookUrl().length() > 512) {
                    errors.add(new FieldError("webhookUrl", "size", "must be at most 512 characters"));
                } else {
                    // The rule each delivery applies, answered now: an internal address is never deliverable.
                    String refusal = notifier.check(r.webhookUrl()).refusalMessage();
                    if (refusal != null) {
                        errors.add(new FieldError("webhookUrl", "publicAddress", refusal));
                    }
                }
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("webhookUrl", "format", "must be an absolute http(s) URL"));
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION, "The alert rule is not valid", errors, Map.of());
        }
        Instant now = clock.nowMicros();
        return new AlertRule(existing == null ? UUID.randomUUID() : existing.id(), r.name(), r.kind(),
                blank(r.serviceCode()), blank(r.serviceVersion()), blank(r.providerAgency()), blank(r.providerSystem()),
                threshold, window, minCalls, blank(r.webhookUrl()), r.enabled() == null || r.enabled(),
                existing == null ? 1 : existing.version() + 1, existing == null ? actor : existing.createdBy(), existing == null ? now : existing.createdAt(), now,
                existing == null ? 1 : existing.webhookSecretGeneration());
    }

    private static void notApplicable(List<FieldError> errors, String field, String value) {
        if (value != null && !value.isBlank()) {
            errors.add(new FieldError(field, "notApplicable", "an auth-failures rule watches every service; leave it out"));
        }
    }

    private static void size(List<FieldError> errors, String field, String value, int max) {
        if (value != null && value.length() > max) {
            errors.add(new FieldError(field, "size", "must be at most " + max + " characters"));
        }
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    static AlertRule map(Row r) {
        return new AlertRule(r.getUUID("id"), r.getString("name"), r.getString("kind"), r.getString("service_code"),
                r.getString("service_version"), r.getString("provider_agency"), r.getString("provider_system"),
                r.getDouble("threshold"), r.getInteger("window_minutes"), r.getInteger("min_calls"),
                r.getString("webhook_url"), r.getBoolean("enabled"), r.getInteger("version"), r.getString("created_by"),
                Db.instant(r, "created_at"), Db.instant(r, "updated_at"), r.getInteger("webhook_secret_generation"));
    }
}
