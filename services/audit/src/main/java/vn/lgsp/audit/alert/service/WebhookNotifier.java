package vn.lgsp.audit.alert.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import vn.lgsp.audit.alert.service.AlertRuleService.AlertRule;
import vn.lgsp.audit.alert.service.AlertService.Alert;
import vn.lgsp.audit.support.AuditConfig;
import vn.lgsp.common.net.DestinationLookup;
import vn.lgsp.common.net.DestinationLookup.Check;
import vn.lgsp.common.net.PinnedRequests;
import vn.lgsp.common.net.WebhookDestinations;

/**
 * Posts alert transitions as JSON to the rule's webhook, signed with RFC 9421 like catalog's webhooks
 * ({@link AlertWebhookSecrets}: key id {@code <rule id>.<generation>}, over {@code @method}, {@code @target-uri} and
 * {@code content-digest}), off the evaluation thread, with a bounded number of
 * attempts and exponential back-off; a webhook that keeps failing is logged and counted
 * ({@code lgsp_audit_alert_webhook_failures_total}), never retried forever, never blocking evaluation.
 * <p>
 * Each attempt first resolves the URL's host and checks every address against libs' {@link WebhookDestinations}
 * (as catalog does for subscribers' webhooks): an internal address is refused for good, not retried, and nothing is
 * sent; otherwise the request goes to the very address checked ({@link PinnedRequests}), so DNS answering differently
 * a moment later (rebinding) reaches nothing unchecked.
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

    @Inject
    Vertx vertx;

    private HttpClient http;
    private DestinationLookup destinations;
    private ScheduledExecutorService retries;
    private Counter failures;
    private Counter delivered;
    private Counter refused;

    @PostConstruct
    void init() {
        http = vertx.createHttpClient(PinnedRequests.clientOptions("lgsp-alert-webhooks", 3000, 16));
        destinations = new DestinationLookup(new WebhookDestinations(
                config.alerts().webhookAllowedNetworks().orElse(List.of())));
        // Look-ups block (the system resolver), so attempts start here, never on the evaluation thread.
        retries = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lgsp-audit-webhooks");
            t.setDaemon(true);
            return t;
        });
        failures = Counter.builder("lgsp.audit.alert.webhook.failures").description("Webhook notifications given up")
                .register(registry);
        delivered = Counter.builder("lgsp.audit.alert.webhook.delivered").description("Webhook notifications delivered")
                .register(registry);
        refused = Counter.builder("lgsp.audit.alert.webhook.refused")
                .description("Webhook notifications not sent: the destination is an internal address").register(registry);
    }

    @PreDestroy
    void close() {
        retries.shutdownNow();
        http.close();
    }

    /** Blocking: what a rule's webhook URL resolves to now, judged as deliveries judge it (for the 400 on save). */
    public Check check(String url) {
        return destinations.checkUrl(url);
    }

    /** Tests: resolve through {@code r} (null: the system resolver again). */
    public void resolveWith(DestinationLookup.Resolver r) {
        destinations.resolveWith(r);
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
        retries.execute(() -> attempt(rule, json, alert, 1));
    }

    private void attempt(AlertRule rule, byte[] json, Alert alert, int n) {
        URI uri = URI.create(rule.webhookUrl());
        Check check = destinations.checkUrl(rule.webhookUrl());
        if (check.refused()) {
            refused.increment();
            failures.increment();
            LOG.warnf("Webhook for alert %s of rule %s not sent: %s", alert.id(), rule.name(), check.deliveryError());
            return;
        }
        if (!check.deliverable()) {
            retryOrGiveUp(rule, json, alert, n, check.deliveryError());
            return;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", "lgsp-audit-alerts");
        headers.put("X-LGSP-Alert-Id", alert.id().toString());
        // Signed afresh on each attempt (created, nonce): a receiver refusing stale or replayed requests still takes a retry.
        headers.putAll(secrets.sign(uri, json, rule.id(), rule.webhookSecretGeneration(), System.currentTimeMillis() / 1000));
        http.request(PinnedRequests.post(uri, check.connectTo(), headers, config.alerts().webhookTimeout().toMillis()))
                .compose(request -> request.send(Buffer.buffer(json)))
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        ar.result().handler(chunk -> { }); // drained, never kept
                        if (ar.result().statusCode() / 100 == 2) {
                            delivered.increment();
                            return;
                        }
                    }
                    String why = ar.failed() ? PinnedRequests.describe(ar.cause()) : "HTTP " + ar.result().statusCode();
                    retryOrGiveUp(rule, json, alert, n, why);
                });
    }

    private void retryOrGiveUp(AlertRule rule, byte[] json, Alert alert, int n, String why) {
        int max = Math.max(1, config.alerts().webhookAttempts());
        if (n >= max) {
            failures.increment();
            LOG.warnf("Webhook for alert %s (%s) gave up after %d attempts: %s", alert.id(), alert.state(), n, why);
            return;
        }
        long delay = config.alerts().webhookBackoff().toMillis() * (1L << (n - 1));
        retries.schedule(() -> attempt(rule, json, alert, n + 1), delay, TimeUnit.MILLISECONDS);
    }
}
