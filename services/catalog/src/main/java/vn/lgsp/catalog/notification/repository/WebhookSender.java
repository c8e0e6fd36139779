package vn.lgsp.catalog.notification.repository;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jboss.logging.Logger;
import vn.lgsp.catalog.support.CatalogConfig;

/**
 * Best-effort webhook delivery of a notification, after the transaction committed and off the request path:
 * a subscriber that is down only misses the push, the notification record stays readable.
 */
@ApplicationScoped
public class WebhookSender {

    private static final Logger LOG = Logger.getLogger(WebhookSender.class);

    @Inject
    ObjectMapper mapper;

    @Inject
    CatalogConfig config;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public void send(String url, NotificationRepository.Notification n) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(config.webhookTimeout())
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "lgsp-catalog")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(n))).build();
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                if (error != null) {
                    LOG.infof("Webhook for subscription %s not delivered: %s", n.subscriptionId(), error.getMessage());
                } else if (response.statusCode() / 100 != 2) {
                    LOG.infof("Webhook for subscription %s answered HTTP %d", n.subscriptionId(), response.statusCode());
                }
            });
        } catch (Exception e) {
            LOG.infof("Webhook for subscription %s not sent: %s", n.subscriptionId(), e.getMessage());
        }
    }
}
