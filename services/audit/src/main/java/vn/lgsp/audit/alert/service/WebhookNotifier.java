package vn.lgsp.audit.alert.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import vn.lgsp.audit.alert.service.AlertRuleService.AlertRule;
import vn.lgsp.audit.alert.service.AlertService.Alert;
import vn.lgsp.audit.support.AuditConfig;

/**
 * Posts alert transitions as JSON to the rule's webhook, signed with RFC 9421 like catalog's webhooks
 * ({@link AlertWebhookSecrets}: key id {@code <rule id>.<generation>}, over {@code @method}, {@code @target-uri} and
 * {@code content-digest}), off the evaluation thread, with a bounded number of
 * attempts and exponential back-off; a webhook that keeps failing is logged and counted
 * ({@code lgsp_audit_alert_webhook_failures_total}), never retried forever, never blocking evaluation.
 */
@ApplicationScoped
public class WebhookNotifier {

    private static final Logger LOG = Logger.getLogger(WebhookNotifier.class);

    @Inject
    AuditConfig config;

    @Inject
    ObjectMapper mapper;

    @Inject
    MeterRegistry registry;

    @Inject
    AlertWebhookSecrets secrets;

    private HttpClient http;
    private ScheduledExecutorService retries;
    private Counter failures;
    private Counter delivered;

    @PostConstruct
    void init() {
        http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
        retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lgsp-audit-webhooks");
            t.setDaemon(true);
            return t;
        });
        failures = Counter.builder("lgsp.audit.alert.webhook.failures").description("Webhook notifications given up")
                .register(registry);
        delivered = Counter.builder("lgsp.audit.alert.webhook.delivered").description("Webhook notifications delivered")
                .register(registry);
    }

    @PreDestroy
    void close() {
        retries.shutdownNow();
    }

    public void notify(AlertRule rule, Alert alert) {
        if (rule.webhookUrl() == null || alert == null) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("source", "lgsp-audit");
        body.put("alert", alert);
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            LOG.warnf("Alert %s could not be serialised: %s", alert.id(), e.getMessage());
            return;
        }
        attempt(rule, json, alert, 1);
    }

    private void attempt(AlertRule rule, byte[] json, Alert alert, int n) {
        URI uri = URI.create(rule.webhookUrl());
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(config.alerts().webhookTimeout())
                .header("Content-Type", "application/json").header("User-Agent", "lgsp-audit-alerts")
                .header("X-LGSP-Alert-Id", alert.id().toString());
        // Signed afresh on each attempt (created, nonce): a receiver refusing stale or replayed requests still takes a retry.
        secrets.sign(uri, json, rule.id(), rule.webhookSecretGeneration(), System.currentTimeMillis() / 1000)
                .forEach(req::header);
        http.sendAsync(req.POST(HttpRequest.BodyPublishers.ofByteArray(json)).build(), HttpResponse.BodyHandlers.discarding()).whenComplete((resp, err) -> {
            if (err == null && resp.statusCode() / 100 == 2) {
                delivered.increment();
                return;
            }
            String why = err != null ? err.getClass().getSimpleName() : "HTTP " + resp.statusCode();
            int max = Math.max(1, config.alerts().webhookAttempts());
            if (n >= max) {
                failures.increment();
                LOG.warnf("Webhook for alert %s (%s) gave up after %d attempts: %s", alert.id(), alert.state(), n, why);
                return;
            }
            long delay = config.alerts().webhookBackoff().toMillis() * (1L << (n - 1));
            retries.schedule(() -> attempt(rule, json, alert, n + 1), delay, TimeUnit.MILLISECONDS);
        });
    }
}
