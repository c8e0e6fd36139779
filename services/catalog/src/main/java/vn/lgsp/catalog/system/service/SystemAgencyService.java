package vn.lgsp.catalog.system.service;

import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import vn.lgsp.catalog.dataservice.domain.DataService;
import vn.lgsp.catalog.dataservice.repository.DataServiceRepository;
import vn.lgsp.catalog.feed.repository.ChangeLog;
import vn.lgsp.catalog.subscription.domain.Subscription;
import vn.lgsp.catalog.subscription.repository.SubscriptionRepository;
import vn.lgsp.catalog.support.Actor;
import vn.lgsp.catalog.system.domain.AgencyChangeResult;
import vn.lgsp.catalog.version.domain.ServiceVersion;
import vn.lgsp.catalog.version.repository.VersionRepository;
import vn.lgsp.common.audit.AdminAudit;

/**
 * Follows registry when an information system moves to another agency. catalog keeps the agency next to the
 * system (a service's owner is its provider's agency, a subscription's consumer agency is its consumer's), and
 * both drive routing's snapshot and agency admins' rights, so they must move with the system (and so must the
 * notifications and webhook deliveries of the subscriptions that move: the new agency's admin reads and redelivers them).
 */
@ApplicationScoped
public class SystemAgencyService {

    /** The resource type registry audits systems under, so both halves of one move are found together. */
    static final String RESOURCE = "information_system";

    @Inject
    Pool pool;

    @Inject
    DataServiceRepository services;

    @Inject
    VersionRepository versions;

    @Inject
    SubscriptionRepository subscriptions;

    @Inject
    ChangeLog changeLog;

    @Inject
    vn.lgsp.catalog.notification.repository.NotificationRepository notifications;

    @Inject
    vn.lgsp.catalog.webhook.repository.DeliveryRepository deliveries;

    @Inject
    AdminAudit audit;

    @Inject
    Clock clock;

    /**
     * One transaction. Every row lock is taken before the first change-log append: appends hold the change
     * log's advisory lock until commit, and a subscription decision holds its row while waiting for that lock.
     */
    @WithSpan("catalog.system.agency-change")
    public Uni<AgencyChangeResult> changeAgency(Actor actor, String systemCode, String agencyCode) {
        Instant now = clock.instant();
        Moved moved = new Moved();
        return pool.withTransaction(conn -> services.lockProvidedBy(conn, systemCode)
                .invoke(provided -> moved.services = provided.stream()
                        .filter(s -> !agencyCode.equals(s.ownerAgencyCode())).toList())
                .chain(() -> subscriptions.lockOpenOfConsumer(conn, systemCode))
                .invoke(open -> moved.subscriptions = open.stream()
                        .filter(s -> !agencyCode.equals(s.consumerAgency())).toList())
                .chain(() -> moved.services.isEmpty() ? Uni.createFrom().voidItem()
                        : services.moveToAgency(conn, moved.services.stream().map(DataService::code).toList(), agencyCode, now))
                .chain(() -> moved.subscriptions.isEmpty() ? Uni.createFrom().voidItem()
                        : subscriptions.moveToAgency(conn, moved.subscriptionIds(), agencyCode, now)
                                // what was sent to them goes along: the new agency's admin reads and redelivers it
                                .chain(() -> notifications.moveToAgency(conn, moved.subscriptionIds(), agencyCode))
                                .chain(() -> deliveries.moveToAgency(conn, moved.subscriptionIds(), agencyCode)))
                .chain(() -> announce(conn, moved, agencyCode, now)))
                .map(v -> new AgencyChangeResult(systemCode, agencyCode, moved.services.size(), moved.subscriptions.size()))
                .invoke(result -> {
                    if (moved.changed()) {
                        audit.record(actor.name(), "system.agency-change", RESOURCE, systemCode, agencyCode,
                                Map.of("agencyCode", moved.previousAgencies()), moved.summary(agencyCode));
                    }
                });
    }

    /** Routing keys routes by version, so every version of a moved service is re-sent with its new providerAgency. */
    private Uni<Void> announce(SqlConnection conn, Moved moved, String agencyCode, Instant now) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (DataService svc : moved.services) {
            chain = chain.chain(() -> versions.all(conn, svc.code())).chain(list -> {
                Uni<Void> routes = Uni.createFrom().voidItem();
                for (ServiceVersion v : list) {
                    routes = routes.chain(() -> changeLog.route(conn, versions.route(v, svc.providerSystemCode(), agencyCode)));
                }
                return routes;
            });
        }
        for (Subscription s : moved.subscriptions) {
            chain = chain.chain(() -> changeLog.subscription(conn, s.withConsumerAgency(agencyCode, now).toEntry()));
        }
        return chain;
    }

    /** What the transaction found to move; read after the commit for the answer and the audit record. */
    private static final class Moved {
        List<DataService> services = List.of();
        List<Subscription> subscriptions = List.of();

        List<java.util.UUID> subscriptionIds() {
            return subscriptions.stream().map(Subscription::id).toList();
        }

        boolean changed() {
            return !services.isEmpty() || !subscriptions.isEmpty();
        }

        /**
         * One code in the normal case, shaped like {@code after.agencyCode}; a list only when catalog had drifted
         * and held the system under several agencies, which the audit trail should show rather than hide.
         */
        Object previousAgencies() {
            TreeSet<String> codes = new TreeSet<>();
            services.forEach(s -> codes.add(s.ownerAgencyCode()));
            subscriptions.forEach(s -> codes.add(s.consumerAgency()));
            return codes.size() == 1 ? codes.first() : List.copyOf(codes);
        }

        Map<String, Object> summary(String agencyCode) {
            Map<String, Object> after = new LinkedHashMap<>();
            after.put("agencyCode", agencyCode);
            after.put("services", services.stream().map(DataService::code).toList());
            after.put("subscriptions", subscriptions.size());
            return after;
        }
    }
}
