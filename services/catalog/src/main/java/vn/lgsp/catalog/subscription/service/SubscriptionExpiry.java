package vn.lgsp.catalog.subscription.service;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;
import vn.lgsp.catalog.feed.repository.ChangeLog;
import vn.lgsp.catalog.notification.repository.NotificationRepository.Notification;
import vn.lgsp.catalog.notification.service.Notices;
import vn.lgsp.catalog.subscription.domain.Subscription;
import vn.lgsp.catalog.subscription.domain.SubscriptionStatus;
import vn.lgsp.catalog.subscription.repository.SubscriptionRepository;
import vn.lgsp.catalog.support.CatalogConfig;
import vn.lgsp.catalog.webhook.service.WebhookDispatcher;
import vn.lgsp.common.audit.AdminAudit;
import vn.lgsp.common.outbox.Rounds;
import vn.lgsp.common.time.ProvinceCalendar;

/**
 * The period of use (REQUIREMENTS C4) as time passes, on a timer: tells each subscriber once, some days ahead, that
 * its period is about to end ({@code subscription.expiring}); ends subscriptions whose last day is over
 * ({@code subscription.expired}: status {@code ended}, routing told through the change feed, audited as done by
 * {@code catalog}). routing already refuses calls after the last day on its own, at the province's midnight; this
 * makes the status say so and the subscriber hear of it. Replicas sweep side by side: rows one holds are skipped by
 * the others.
 */
@ApplicationScoped
public class SubscriptionExpiry {

    private static final Logger LOG = Logger.getLogger(SubscriptionExpiry.class);
    /** Who the audit log names for what the platform did by itself. */
    static final String ACTOR = "catalog";
    public static final String EXPIRING = "subscription.expiring";
    public static final String EXPIRED = "subscription.expired";
    private static final int BATCH = 200;

    @Inject
    Vertx vertx;

    @Inject
    Pool pool;

    @Inject
    SubscriptionRepository subscriptions;

    @Inject
    ChangeLog changeLog;

    @Inject
    Notices notices;

    @Inject
    WebhookDispatcher dispatcher;

    @Inject
    AdminAudit audit;

    @Inject
    CatalogConfig config;

    @Inject
    Clock clock;

    /** One round: a batch of each; another follows at once while a batch came back full. Never two at a time. */
    private final Rounds rounds = new Rounds(() -> sweepBatch().invoke(r -> {
        if (r.ended() + r.told() > 0) {
            LOG.infof("Subscriptions: %d ended at the end of their period of use, %d subscribers told it ends soon",
                    r.ended(), r.told());
        }
    }).onFailure().invoke(e -> LOG.warnf("Subscription periods not swept: %s", e.getMessage()))
            .map(r -> r.ended() == BATCH || r.told() == BATCH).subscribeAsCompletionStage());

    void start(@Observes StartupEvent ev) {
        rounds.kickEvery(vertx, config.subscriptionExpiryInterval(), () -> { });
    }

    void stop(@Observes ShutdownEvent ev) {
        rounds.stop();
    }

    /** What one sweep did. */
    public record Result(int ended, int told) {
    }

    /** A whole sweep now, batch after batch until nothing is left (tests; the timer's rounds do the same). */
    public Uni<Result> sweep() {
        return sweepBatch().chain(r -> r.ended() < BATCH && r.told() < BATCH ? Uni.createFrom().item(r)
                : sweep().map(rest -> new Result(r.ended() + rest.ended(), r.told() + rest.told())));
    }

    private Uni<Result> sweepBatch() {
        return endPastPeriod().chain(ended -> tellEndingSoon().map(told -> new Result(ended, told)));
    }

    private Uni<Integer> endPastPeriod() {
        Instant now = clock.instant();
        LocalDate today = ProvinceCalendar.dateOf(now);
        List<Subscription[]> done = new ArrayList<>();
        boolean[] webhooks = new boolean[1];
        return pool.withTransaction(conn -> subscriptions.lockPastPeriod(conn, today, BATCH).chain(due -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Subscription s : due) {
                Subscription ended = s.withState(SubscriptionStatus.ENDED, s.requestsPerSecond(), s.burst(),
                        s.dailyQuota(), "period of use ended on " + s.periodEnd(), ACTOR, now);
                done.add(new Subscription[] { s, ended });
                chain = chain.chain(() -> subscriptions.saveState(conn, ended))
                        .chain(() -> changeLog.subscription(conn, ended.toEntry()))
                        .chain(() -> notify(conn, ended, EXPIRED, s.status(), "The period of use of this subscription "
                                + "ended on " + s.periodEnd() + "; apply again to keep using the service", webhooks));
            }
            return chain.replaceWith(due.size());
        })).invoke(() -> {
            for (Subscription[] pair : done) {
                audit.record(ACTOR, "subscription.expire", "subscription", pair[1].id().toString(),
                        pair[1].consumerAgency(), pair[0], pair[1]);
            }
            if (webhooks[0]) {
                dispatcher.kick();
            }
        });
    }

    private Uni<Integer> tellEndingSoon() {
        Instant now = clock.instant();
        LocalDate lastDay = ProvinceCalendar.dateOf(now).plusDays(config.subscriptionExpiryNotice().toDays());
        boolean[] webhooks = new boolean[1];
        return pool.withTransaction(conn -> subscriptions.lockEndingUntold(conn, lastDay, BATCH).chain(due -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (Subscription s : due) {
                chain = chain.chain(() -> notify(conn, s, EXPIRING, s.status(), "The period of use of this subscription "
                        + "ends on " + s.periodEnd() + "; after that day the gateway refuses its calls. Ask the "
                        + "provider's agency or the operator to extend it", webhooks));
            }
            return chain.chain(() -> due.isEmpty() ? Uni.createFrom().voidItem()
                    : subscriptions.markExpiryNoticed(conn, due.stream().map(Subscription::id).toList(), now))
                    .replaceWith(due.size());
        })).invoke(() -> {
            if (webhooks[0]) {
                dispatcher.kick();
            }
        });
    }

    private Uni<Void> notify(SqlConnection conn, Subscription s, String event, SubscriptionStatus from, String comment,
            boolean[] webhooks) {
        Notification n = new Notification(null, s.id(), s.consumerSystem(), s.consumerAgency(), s.serviceCode(),
                s.version(), event, from.wire(), s.status().wire(), null, null, s.periodEnd(), comment, clock.instant());
        return notices.send(conn, s, n).invoke(queued -> webhooks[0] |= queued).replaceWithVoid();
    }
}
