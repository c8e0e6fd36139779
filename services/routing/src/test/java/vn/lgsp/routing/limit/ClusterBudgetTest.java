package vn.lgsp.routing.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import vn.lgsp.routing.snapshot.domain.Subscription;
import vn.lgsp.routing.support.RoutingTestResource;

/** Replicas share budgets through the real PostgreSQL: another replica's heartbeat and usage rows change ours. */
@QuarkusTest
@QuarkusTestResource(RoutingTestResource.class)
class ClusterBudgetTest {

    private static final String OTHER = "other-replica-for-test";

    @Inject
    ClusterBudget budget;

    @Inject
    LocalRateLimiter limiter;

    @Inject
    Pool pool;

    @AfterEach
    void forgetTheOtherReplica() {
        pool.preparedQuery("DELETE FROM replica WHERE id = $1").execute(Tuple.of(OTHER)).await().indefinitely();
        pool.preparedQuery("DELETE FROM quota_usage WHERE replica_id = $1").execute(Tuple.of(OTHER)).await().indefinitely();
        budget.syncNow().await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void aSecondLiveReplicaHalvesTheRateAndItsCallsCountAgainstTheQuota() {
        Subscription s = new Subscription("cluster-sub-" + System.nanoTime(), "ho-tich", "v1", "SYS", "000.00.00.H01",
                "production", 1000, 1000, 5L);
        assertTrue(limiter.acquire(s).allowed(), "a first call here");
        budget.syncNow().await().atMost(Duration.ofSeconds(10));
        long used = pool.preparedQuery("SELECT used FROM quota_usage WHERE subscription_id = $1 AND replica_id = $2")
                .execute(Tuple.of(s.id(), budget.replicaId())).await().indefinitely().iterator().next().getLong("used");
        assertEquals(1, used, "this replica published what it let through");

        pool.preparedQuery("INSERT INTO replica (id, seen_at) VALUES ($1, now())").execute(Tuple.of(OTHER)).await().indefinitely();
        pool.preparedQuery("INSERT INTO quota_usage (subscription_id, day, replica_id, used) VALUES ($1, $2, $3, 3)")
                .execute(Tuple.of(s.id(), limiter.today(), OTHER)).await().indefinitely();
        budget.syncNow().await().atMost(Duration.ofSeconds(10));

        assertEquals(2, limiter.replicas(), "two live replicas share the rate");
        assertTrue(limiter.acquire(s).allowed(), "1 here + 3 there + this one = 5");
        assertFalse(limiter.acquire(s).allowed(), "the daily quota of 5 is used up across both replicas");
    }

    @Test
    void aReplicaThatStoppedBeatingNoLongerTakesAShare() {
        pool.preparedQuery("INSERT INTO replica (id, seen_at) VALUES ($1, now() - interval '1 minute')")
                .execute(Tuple.of(OTHER)).await().indefinitely();
        budget.syncNow().await().atMost(Duration.ofSeconds(10));
        assertEquals(1, limiter.replicas());
    }
}
