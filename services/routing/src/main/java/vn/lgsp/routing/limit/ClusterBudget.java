package vn.lgsp.routing.limit;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;
import vn.lgsp.routing.config.RoutingConfig;

/**
 * Lets the replicas of routing share one budget per subscription through PostgreSQL, off the request path: about
 * once a second each replica records that it is alive and how many calls it let through today per subscription,
 * then reads how many replicas are alive (the rate and burst are split among them) and how many calls the others
 * let through (counted against the daily quota). Between two syncs a replica decides alone, so a quota can be
 * overshot by what the cluster serves in one sync interval. When PostgreSQL is unreachable the last known figures
 * stay in force and the data plane is unaffected.
 */
@ApplicationScoped
public class ClusterBudget {

    private static final Logger LOG = Logger.getLogger(ClusterBudget.class);

    @Inject
    Vertx vertx;

    @Inject
    Pool pool;

    @Inject
    RoutingConfig config;

    @Inject
    LocalRateLimiter limiter;

    private final String replicaId = UUID.randomUUID().toString();
    private final AtomicBoolean running = new AtomicBoolean();
    /** Completes when the round that runs (or ran last) ends. */
    private volatile CompletableFuture<Void> current = CompletableFuture.completedFuture(null);
    private volatile boolean warned;
    private long timer = -1;

    void start(@Observes StartupEvent ev) {
        if (!config.limit().shared()) {
            LOG.info("Rate limits and quotas are per replica (lgsp.routing.limit.shared=false)");
            return;
        }
        long every = config.limit().syncInterval().toMillis();
        timer = vertx.setPeriodic(every, every, id -> sync().subscribe().with(v -> { }, e -> { }));
    }

    void stop(@Observes ShutdownEvent ev) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        // let the others count one replica less at once rather than after the heartbeat expires
        try {
            pool.preparedQuery("DELETE FROM replica WHERE id = $1").execute(Tuple.of(replicaId))
                    .await().atMost(java.time.Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            LOG.debugf("Replica %s not unregistered (%s); its heartbeat expires instead", replicaId, e.getMessage());
        }
    }

    public String replicaId() {
        return replicaId;
    }

    /** One round, unless one is running (the periodic sync: the next tick will do). */
    Uni<Void> sync() {
        if (!running.compareAndSet(false, true)) {
            return Uni.createFrom().voidItem();
        }
        return round();
    }

    /**
     * A whole round that starts after the one in progress, if any, so it publishes every call let through before
     * it was asked for (tests: a skipped round would leave their counts unpublished).
     */
    public Uni<Void> syncNow() {
        if (running.compareAndSet(false, true)) {
            return round();
        }
        return Uni.createFrom().completionStage(() -> current).onItemOrFailure().transformToUni((v, e) -> syncNow());
    }

    private Uni<Void> round() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        current = done;
        long day = limiter.today();
        Map<String, Long> mine = limiter.usedToday();
        long ttlSeconds = Math.max(1, config.limit().replicaTtl().toSeconds());
        return pool.withTransaction(c -> {
            Uni<?> chain = c.preparedQuery("INSERT INTO replica (id, seen_at) VALUES ($1, now()) "
                    + "ON CONFLICT (id) DO UPDATE SET seen_at = now()").execute(Tuple.of(replicaId));
            if (!mine.isEmpty()) {
                List<Tuple> rows = new ArrayList<>(mine.size());
                mine.forEach((sub, used) -> rows.add(Tuple.of(sub, day, replicaId, used)));
                chain = chain.chain(() -> c.preparedQuery("INSERT INTO quota_usage (subscription_id, day, replica_id, used) "
                        + "VALUES ($1, $2, $3, $4) ON CONFLICT (subscription_id, day, replica_id) "
                        + "DO UPDATE SET used = GREATEST(quota_usage.used, EXCLUDED.used)").executeBatch(rows));
            }
            return chain
                    .chain(() -> c.preparedQuery("SELECT count(*) AS n FROM replica WHERE seen_at > now() - make_interval(secs => $1)")
                            .execute(Tuple.of((double) ttlSeconds)))
                    .invoke(rows -> limiter.replicas((int) Math.max(1, rows.iterator().next().getLong("n"))))
                    .chain(() -> c.preparedQuery("SELECT subscription_id, sum(used) AS used FROM quota_usage "
                            + "WHERE day = $1 AND replica_id <> $2 GROUP BY subscription_id").execute(Tuple.of(day, replicaId)))
                    .invoke(rows -> {
                        Map<String, Long> others = new HashMap<>();
                        for (Row r : rows) {
                            others.put(r.getString("subscription_id"), r.getLong("used"));
                        }
                        limiter.othersToday(day, others);
                    })
                    // yesterday's counts are kept for the day change; older ones and long-gone replicas go
                    .chain(() -> c.preparedQuery("DELETE FROM quota_usage WHERE day < $1").execute(Tuple.of(day - 1)))
                    .chain(() -> c.preparedQuery("DELETE FROM replica WHERE seen_at < now() - interval '1 hour'").execute())
                    .replaceWithVoid();
        }).invoke(() -> warned = false)
                .onFailure().invoke(e -> {
                    if (!warned) {
                        warned = true;
                        LOG.warnf("Could not share rate budgets through PostgreSQL (%s); using the last known figures",
                                e.getMessage());
                    }
                })
                .eventually(() -> {
                    running.set(false);
                    done.complete(null);
                });
    }
}
