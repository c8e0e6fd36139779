package vn.lgsp.catalog.webhook.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.jboss.logging.Logger;
import vn.lgsp.catalog.support.CatalogConfig;
import vn.lgsp.catalog.webhook.domain.WebhookDelivery;
import vn.lgsp.catalog.webhook.repository.DeliveryRepository;
import vn.lgsp.common.net.PinnedRequests;
import vn.lgsp.common.outbox.Rounds;

/**
 * Sends due webhook deliveries, off every request path: after a change commits it is kicked at once, and a timer
 * picks up retries (exponential backoff, bounded attempts) and deliveries a stopped replica left behind. A
 * receiver that is slow or down only delays its own delivery; the lifecycle change it announces is long committed.
 * <p>
 * Each request is signed with RFC 9421 ({@code hmac-sha256}, key id {@code <subscription id>.<generation>}, the
 * subscriber's secret from {@link WebhookSecrets}) over {@code @method}, {@code @target-uri} and
 * {@code content-digest} (RFC 9530), with {@code created} and a fresh {@code nonce}: the receiver can check origin,
 * integrity and freshness with the same verifier the platform uses.
 * <p>
 * Before each attempt the destination is checked ({@link WebhookDestinationGuard}): an internal address is a failed
 * attempt like any other (retried, then {@code failed}), with the reason as its last error.
 */
@ApplicationScoped
public class WebhookDispatcher {

    private static final Logger LOG = Logger.getLogger(WebhookDispatcher.class);
    private static final int BATCH = 20;

    @Inject
    Vertx vertx;

    @Inject
    DeliveryRepository deliveries;

    @Inject
    WebhookSecrets secrets;

    @Inject
    WebhookDestinationGuard destinations;

    @Inject
    CatalogConfig config;

    @Inject
    ObjectMapper mapper;

    @Inject
    Clock clock;

    private final Rounds rounds = new Rounds(this::round);
    private HttpClient http;

    /** libs' {@link PinnedRequests}: each delivery goes to the very address the guard checked, never reused. */
    @jakarta.annotation.PostConstruct
    void init() {
        http = vertx.createHttpClient(PinnedRequests.clientOptions("lgsp-webhooks", 2000, BATCH));
    }

    void start(@Observes StartupEvent ev) {
        rounds.kickEvery(vertx, config.webhookPollInterval(), () -> { });
    }

    void stop(@Observes ShutdownEvent ev) {
        rounds.stop();
    }

    /** Looks for due deliveries now; calls while a round is running make it run once more. */
    public void kick() {
        rounds.kick();
    }

    /** Claims due deliveries and sends them (their outcomes are recorded as they come); more may wait after a full batch. */
    private CompletionStage<Boolean> round() {
        Instant now = clock.instant();
        // The lease outlives one attempt (destination look-up and request, each bounded by the timeout, + connect), so
        // nobody else takes it meanwhile.
        Instant lease = now.plus(config.webhookTimeout().multipliedBy(2)).plusSeconds(10);
        return deliveries.claimDue(now, lease, BATCH)
                .invoke(list -> list.forEach(this::send))
                .map(list -> list.size() == BATCH)
                .onFailure().invoke(error -> LOG.warnf("Webhook deliveries could not be claimed: %s", error.getMessage()))
                .subscribeAsCompletionStage();
    }

    private void send(WebhookDelivery d) {
        Signed request;
        try {
            request = signed(d);
        } catch (RuntimeException e) {
            record(d, null, "not sendable: " + e.getClass().getSimpleName());
            return;
        }
        destinations.check(d.url()).subscribe().with(check -> {
            if (check.refused()) {
                LOG.warnf("Webhook delivery %d to subscription %s refused: %s", d.id(), d.subscriptionId(), check.deliveryError());
            }
            if (check.refused() || check.unresolved() != null) {
                record(d, null, check.deliveryError());
            } else {
                post(d, request, check.connectTo());
            }
        }, error -> record(d, null, "destination not checked: " + error.getClass().getSimpleName()));
    }

    /** A delivery's request, signed: its URL, headers and body. */
    record Signed(URI uri, Map<String, String> headers, byte[] body) {
    }

    /**
     * Only after {@link WebhookDestinationGuard} accepted every address the host has now (a subscriber's DNS can
     * change after it applied: rebinding), and to one of those addresses: the name is not resolved again. The
     * status is recorded when the answer's head arrives; the body is read and dropped.
     */
    private void post(WebhookDelivery d, Signed signed, InetAddress address) {
        RequestOptions options = PinnedRequests.post(signed.uri(), address, signed.headers(), config.webhookTimeout().toMillis());
        http.request(options)
                .compose(request -> request.send(Buffer.buffer(signed.body())))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        record(d, null, PinnedRequests.describe(ar.cause()));
                    } else {
                        HttpClientResponse response = ar.result();
                        response.handler(chunk -> { }); // drained, never kept
                        record(d, response.statusCode(), null);
                    }
                });
    }

    Signed signed(WebhookDelivery d) {
        byte[] body = d.payload().toString().getBytes(StandardCharsets.UTF_8);
        URI uri = URI.create(d.url());
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("User-Agent", "lgsp-catalog");
        headers.put("X-LGSP-Delivery", String.valueOf(d.id()));
        headers.put("X-LGSP-Event", d.event());
        headers.putAll(secrets.sign(uri, body, d.subscriptionId(), d.secretGeneration(), clock.instant().getEpochSecond()));
        return new Signed(uri, headers, body);
    }

    private void record(WebhookDelivery d, Integer status, String error) {
        Instant now = clock.instant();
        int attempt = d.attempts() + 1;
        boolean ok = status != null && status / 100 == 2;
        String outcome = ok ? WebhookDelivery.DELIVERED : attempt >= d.maxAttempts() ? WebhookDelivery.FAILED : WebhookDelivery.PENDING;
        Instant next = WebhookDelivery.PENDING.equals(outcome) ? now.plus(backoff(attempt)) : null;
        String why = error == null ? null : error.length() > 500 ? error.substring(0, 500) : error;
        if (!ok) {
            LOG.infof("Webhook delivery %d to subscription %s: attempt %d %s", d.id(), d.subscriptionId(), attempt,
                    status != null ? "answered HTTP " + status : "failed (" + why + ")");
        }
        deliveries.recordAttempt(d.id(), outcome, now, status, why, next).subscribe().with(v -> {
        }, e -> LOG.warnf("Outcome of webhook delivery %d not recorded: %s", d.id(), e.getMessage()));
    }

    /** Wait after the n-th failed attempt: initial × 2^(n-1), capped. */
    Duration backoff(int failedAttempts) {
        return Rounds.backoff(config.webhookInitialBackoff(), config.webhookMaxBackoff(), failedAttempts);
    }
}
