package vn.lgsp.routing.admin.api;

import io.smallrye.common.annotation.NonBlocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.common.audit.AuditPublisher;
import vn.lgsp.common.security.Roles;
import vn.lgsp.routing.config.RoutingConfig;
import vn.lgsp.routing.exchange.service.ExchangeNotices;
import vn.lgsp.routing.gateway.AuditGate;
import vn.lgsp.routing.identity.TokenVerifier;
import vn.lgsp.routing.proxy.CircuitBreakers;
import vn.lgsp.routing.proxy.UpstreamClients;
import vn.lgsp.routing.proxy.UpstreamHealthChecker;
import vn.lgsp.routing.snapshot.domain.Snapshot;
import vn.lgsp.routing.snapshot.service.SnapshotHolder;

@Path("/api/v1/routing/status")
@Tag(name = "routing", description = "State of the gateway data plane")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {

    @Inject
    SnapshotHolder snapshots;

    @Inject
    RoutingConfig config;

    @Inject
    CircuitBreakers breakers;

    @Inject
    UpstreamHealthChecker health;

    @Inject
    AuditPublisher publisher;

    @Inject
    AuditGate gate;

    @Inject
    TokenVerifier tokens;

    @Inject
    UpstreamClients clients;

    @Inject
    ExchangeNotices notices;

    @GET
    @NonBlocking
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR })
    @Operation(summary = "Snapshot revision and age, counts, circuit breakers, provider reachability, audit backlog and spool, maintenance windows, exchange notifications")
    public RoutingStatus status() {
        Snapshot s = snapshots.get();
        Instant now = Instant.now();
        Instant confirmed = s.confirmedAt();
        Long age = confirmed == null ? null : Duration.between(confirmed, now).toSeconds();
        return new RoutingStatus(
                new SnapshotStatus(s.complete(), s.catalogRevision(), s.revocationRevision(), confirmed, age,
                        age != null && age > config.snapshotMaxAge().toSeconds(), s.routes().size(),
                        s.subscriptions().size(), s.revokedClientIds().size(), s.revokedTokenIds().size(),
                        s.keys().size(), s.hmacKeyRevision(), s.hmacKeys().size()),
                breakers.states(), health.states(),
                new AuditStatus(publisher.pending(), publisher.auditReachable(), publisher.sentCount(),
                        publisher.refusedCount(), publisher.rejectedCount(), publisher.room(), publisher.spoolDir().map(dir -> new SpoolStatus(
                                dir.toString(), publisher.spoolBytes(), publisher.spoolMaxBytes(),
                                publisher.spoolSegments())).orElse(null)),
                gate.inFlight(), tokens.cachedTokens(), pools(s), maintenance(s, now.toEpochMilli()),
                new ExchangeStatus(notices.listening(), notices.streams()));
    }

    private static List<MaintenanceStatus> maintenance(Snapshot s, long now) {
        return s.maintenance().stream().map(w -> new MaintenanceStatus(w.id(), w.title(), w.impact(), w.startsAt(),
                w.endsAt(), w.serviceCodes().stream().sorted().toList(), w.environment(), w.inEffectAt(now))).toList();
    }

    private PoolStatus pools(Snapshot s) {
        Map<String, Integer> perVersion = new java.util.TreeMap<>();
        Map<String, Integer> pipelined = new java.util.TreeMap<>();
        s.routes().values().forEach(r -> {
            String key = r.serviceCode() + "/" + r.version();
            perVersion.put(key, clients.connectionsPerEventLoop(r.maxConnections()));
            if (clients.pipelined(r, true)) {
                pipelined.put(key, r.pipelining());
            }
        });
        return new PoolStatus(clients.eventLoops(), clients.pools(), perVersion, pipelined);
    }

    public record RoutingStatus(SnapshotStatus snapshot, Map<String, String> circuits, Map<String, Boolean> upstreams,
            AuditStatus audit, int inFlight, long cachedTokens, PoolStatus upstreamPools,
            List<MaintenanceStatus> maintenance, ExchangeStatus exchange) {
    }

    /**
     * The asynchronous exchange's notifications on this replica: whether it hears the other replicas' notices
     * (LISTEN lgsp_exchange; false while its connection is re-opened) and how many event streams are open here.
     */
    public record ExchangeStatus(boolean listening, int streams) {
    }

    /**
     * An announced maintenance window the gateway holds (catalog's, REQUIREMENTS M8): {@code serviceCodes} empty =
     * every service, {@code environment} null = both; {@code inEffect}: now within [startsAt, endsAt) — an
     * {@code unavailable} one in effect is answered with 503 {@code maintenance}. Ended windows leave at the next
     * catalog poll.
     */
    public record MaintenanceStatus(String id, String title, String impact, Instant startsAt, Instant endsAt,
            List<String> serviceCodes, String environment, boolean inEffect) {
    }

    /**
     * Connection pools towards providers: this replica's event loops, the pools open on them, and per version
     * ({@code serviceCode/version}) the connections each event loop may open — its catalog maxConnections split
     * over the live replicas and the event loops (proxy.UpstreamClients); and per version whose provider declared
     * pipelining (and whose share allows two lanes), the requests sent at once on each connection of its GET lane:
     * half the connections carry up to that many bodiless GET/HEAD/OPTIONS each, the other half one request each.
     */
    public record PoolStatus(int eventLoops, int open, Map<String, Integer> connectionsPerEventLoop,
            Map<String, Integer> pipelining) {
    }

    public record SnapshotStatus(boolean ready, long catalogRevision, long revocationRevision, Instant confirmedAt,
            Long ageSeconds, boolean stale, int routes, int subscriptions, int revokedClientIds, int revokedTokenIds,
            int keys, long hmacKeyRevision, int hmacKeys) {
    }

    /**
     * The audit backlog: events not yet accepted by audit, how many more calls the gateway admits before refusing
     * with 503 audit-unavailable ({@code room}), events audit refused as invalid and that were set aside
     * ({@code rejected}), and the disk spool (null when events are held in memory only).
     */
    public record AuditStatus(long pending, boolean reachable, long sent, long refused, long rejected, int room,
            SpoolStatus spool) {
    }

    public record SpoolStatus(String dir, long bytes, long maxBytes, int segments) {
    }
}
