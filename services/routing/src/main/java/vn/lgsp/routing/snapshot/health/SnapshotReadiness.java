package vn.lgsp.routing.snapshot.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;
import vn.lgsp.routing.config.RoutingConfig;
import vn.lgsp.routing.snapshot.domain.Snapshot;
import vn.lgsp.routing.snapshot.service.SnapshotHolder;

/**
 * Ready once routes, revocations and keys have all arrived. A stale snapshot keeps the gateway ready: serving
 * from the last good snapshot while catalog or auth are down is the design; {@code stale} tells the operator.
 */
@Readiness
@ApplicationScoped
public class SnapshotReadiness implements HealthCheck {

    @Inject
    SnapshotHolder holder;

    @Inject
    RoutingConfig config;

    @Override
    public HealthCheckResponse call() {
        Snapshot s = holder.get();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("routing snapshot")
                .withData("catalogRevision", s.catalogRevision())
                .withData("revocationRevision", s.revocationRevision())
                .withData("routes", s.routes().size())
                .withData("subscriptions", s.subscriptions().size())
                .withData("keys", s.keys().size())
                // Reported, not required: a platform without signing (HMAC) clients is ready without this feed.
                .withData("hmacKeyRevision", s.hmacKeyRevision())
                .withData("hmacKeys", s.hmacKeys().size());
        Instant confirmed = s.confirmedAt();
        if (confirmed != null) {
            long age = Duration.between(confirmed, Instant.now()).toSeconds();
            b.withData("ageSeconds", age).withData("stale", age > config.snapshotMaxAge().toSeconds());
        }
        return b.status(s.complete()).build();
    }
}
