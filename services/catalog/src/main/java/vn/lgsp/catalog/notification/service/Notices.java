package vn.lgsp.catalog.notification.service;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import vn.lgsp.catalog.notification.repository.NotificationRepository;
import vn.lgsp.catalog.notification.repository.NotificationRepository.Notification;
import vn.lgsp.catalog.subscription.domain.Subscription;
import vn.lgsp.catalog.support.CatalogConfig;
import vn.lgsp.catalog.webhook.repository.DeliveryRepository;

/** Tells a subscriber something: the notification it reads, and a webhook delivery when it gave a webhook URL. */
@ApplicationScoped
public class Notices {

    @Inject
    NotificationRepository notifications;

    @Inject
    DeliveryRepository deliveries;

    @Inject
    CatalogConfig config;

    /**
     * Stores the notification and, for a subscription with a webhook, its delivery, in the caller's transaction, so
     * both commit with the change they announce; sending happens after the commit. Answers whether a delivery now
     * waits (the caller kicks the dispatcher once committed).
     */
    public Uni<Boolean> send(SqlClient conn, Subscription s, Notification n) {
        return notifications.insert(conn, n).chain(id -> s.webhookUrl() == null
                ? Uni.createFrom().item(false)
                : deliveries.insert(conn, id, s.id(), s.consumerSystem(), s.consumerAgency(), s.webhookUrl(), n.event(),
                        n.withId(id), config.webhookMaxAttempts(), n.createdAt(), null, null).replaceWith(true));
    }
}
