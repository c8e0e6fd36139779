package vn.lgsp.routing.snapshot.health;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;
import vn.lgsp.routing.config.RoutingConfig;
import vn.lgsp.routing.snapshot.service.SnapshotHolder;

class SnapshotReadinessTest {

    private final SnapshotReadiness check = new SnapshotReadiness();

    SnapshotReadinessTest() {
        check.holder = new SnapshotHolder();
        check.config = (RoutingConfig) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { RoutingConfig.class }, (p, m, a) -> {
                    if (m.getName().equals("snapshotMaxAge")) {
                        return Duration.ofSeconds(60);
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    @Test
    void downUntilTheFirstCompleteSnapshot() {
        assertEquals(HealthCheckResponse.Status.DOWN, check.call().getStatus());
        Instant now = Instant.now();
        check.holder.update(s -> s.withCatalog(3, now, Map.of(), Map.of(), java.util.List.of()));
        assertEquals(HealthCheckResponse.Status.DOWN, check.call().getStatus(), "revocations and keys still missing");
        check.holder.update(s -> s.withRevocations(1, now, Set.of(), Set.of()).withKeys(Map.of("k", key()), now));
        HealthCheckResponse up = check.call();
        assertEquals(HealthCheckResponse.Status.UP, up.getStatus());
        assertEquals(3L, up.getData().orElseThrow().get("catalogRevision"));
        assertEquals(false, up.getData().orElseThrow().get("stale"));
    }

    @Test
    void staysUpButStaleWhenTheFeedsAreSilent() {
        Instant old = Instant.now().minusSeconds(300);
        check.holder.update(s -> s.withCatalog(1, old, Map.of(), Map.of(), java.util.List.of()).withRevocations(1, old, Set.of(), Set.of())
                .withKeys(Map.of("k", key()), old));
        HealthCheckResponse r = check.call();
        assertEquals(HealthCheckResponse.Status.UP, r.getStatus());
        assertEquals(true, r.getData().orElseThrow().get("stale"));
        assertEquals(300L, (Long) r.getData().orElseThrow().get("ageSeconds"), 2.0);
    }

    private static java.security.PublicKey key() {
        try {
            return KeyPairGenerator.getInstance("RSA").generateKeyPair().getPublic();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

}
