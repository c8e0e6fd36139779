package vn.lgsp.routing.proxy;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.tracing.TracingPolicy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import vn.lgsp.common.text.Texts;
import vn.lgsp.common.audit.AuditEvent;
import vn.lgsp.common.id.Uuids;
import vn.lgsp.common.audit.AuditPublisher;
import vn.lgsp.routing.config.RoutingConfig;
import vn.lgsp.routing.snapshot.domain.Route;
import vn.lgsp.routing.snapshot.domain.RouteStatus;
import vn.lgsp.routing.snapshot.domain.Snapshot;
import vn.lgsp.routing.snapshot.domain.Upstream;
import vn.lgsp.routing.snapshot.service.SnapshotHolder;

/**
 * Probes every provider base URL in the snapshot (HEAD; any HTTP answer means reachable). When a provider becomes
 * unreachable an alert event goes to audit, once per transition (REQUIREMENTS M3: alert when data cannot pass) —
 * unless every route using it is inside an announced {@code unavailable} maintenance window (M8): planned downtime
 * is not an incident. Its state is still tracked, and if it is still down once the window ends, the next probe
 * raises the alert. "Recovered" follows only an alert actually raised.
 */
@ApplicationScoped
public class UpstreamHealthChecker {

    private static final Logger LOG = Logger.getLogger(UpstreamHealthChecker.class);

    /** {@code errorType} of the alert events, as audit's provider-unreachable rule reads them. */
    public static final String UNREACHABLE = "upstream-unreachable";
    public static final String RECOVERED = "upstream-recovered";

    @Inject
    Vertx vertx;

    @Inject
    RoutingConfig config;

    @Inject
    UpstreamTls tls;

    @Inject
    SnapshotHolder snapshots;

    @Inject
    AuditPublisher publisher;

    private HttpClient http;
    private long timer = -1;
    /** upstream URL → last known reachability */
    private final ConcurrentHashMap<String, Boolean> reachable = new ConcurrentHashMap<>();
    /** upstream URLs whose unreachable alert went out and whose recovery has not yet been reported */
    private final Set<String> alerted = ConcurrentHashMap.newKeySet();

    void start(@Observes StartupEvent ev) {
        http = tls.track(vertx.createHttpClient(tls.configure(new HttpClientOptions()
                .setConnectTimeout((int) config.healthCheck().timeout().toMillis())
                .setKeepAlive(false)
                .setTracingPolicy(TracingPolicy.IGNORE))));
        long every = config.healthCheck().interval().toMillis();
        timer = vertx.setPeriodic(every, every, id -> checkAll());
    }

    void stop(@Observes ShutdownEvent ev) {
        vertx.cancelTimer(timer);
        if (http != null) {
            http.close();
        }
    }

    /** upstream URL → reachable, for the status endpoint. */
    public Map<String, Boolean> states() {
        return new TreeMap<>(reachable);
    }

    void checkAll() {
        Map<String, List<Target>> byUrl = new HashMap<>();
        for (Route route : snapshots.get().routes().values()) {
            if (route.status() == RouteStatus.DRAFT || route.status() == RouteStatus.RETIRED) {
                continue;
            }
            route.upstreams().forEach((env, upstream) -> byUrl.computeIfAbsent(upstream.url(), u -> new ArrayList<>())
                    .add(new Target(route, env, upstream)));
        }
        reachable.keySet().retainAll(byUrl.keySet());
        alerted.retainAll(byUrl.keySet());
        byUrl.forEach((url, targets) -> probe(targets.get(0).upstream()).onComplete(ar -> {
            boolean up = ar.succeeded();
            Boolean before = reachable.put(url, up);
            if (!up) {
                String why = ar.cause() == null ? "no answer" : ar.cause().getMessage();
                if (alerted.contains(url)) {
                    return; // already reported, still down
                }
                if (inMaintenance(targets)) {
                    if (!Boolean.FALSE.equals(before)) {
                        LOG.infof("Provider upstream %s is unreachable (%s) during announced maintenance; no alert",
                                url, why);
                    }
                } else if (alerted.add(url)) {
                    // Down while in service: newly, or still down when its maintenance window ended. add() is the
                    // gate, so two probes of the same upstream overlapping cannot both alert.
                    LOG.warnf("Provider upstream %s is unreachable (%s)", url, why);
                    targets.forEach(t -> alert(t, UNREACHABLE, "is unreachable: " + why));
                }
            } else if (alerted.remove(url)) {
                LOG.infof("Provider upstream %s is reachable again", url);
                // audit resolves the open provider-unreachable alert on this event
                targets.forEach(t -> alert(t, RECOVERED, "is reachable again"));
            } else if (Boolean.FALSE.equals(before)) {
                LOG.infof("Provider upstream %s is reachable again (no alert had been raised)", url);
            }
        }));
    }

    /** Every route (and environment) using the upstream is inside an unavailable window now. */
    private boolean inMaintenance(List<Target> targets) {
        Snapshot snapshot = snapshots.get();
        if (snapshot.maintenance().isEmpty()) {
            return false;
        }
        long now = System.currentTimeMillis();
        for (Target t : targets) {
            if (snapshot.unavailable(t.route().serviceCode(), t.environment(), now) == null) {
                return false;
            }
        }
        return true;
    }

    private io.vertx.core.Future<Void> probe(Upstream upstream) {
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.HEAD).setHost(upstream.host())
                .setPort(upstream.port()).setSsl(upstream.ssl())
                .setURI(upstream.basePath().isEmpty() ? "/" : upstream.basePath())
                .setTimeout(config.healthCheck().timeout().toMillis());
        return http.request(options).compose(req -> req.send()).compose(resp -> resp.body()).mapEmpty();
    }

    private void alert(Target t, String kind, String what) {
        AuditEvent event = new AuditEvent(Uuids.fastRandom(), AuditEvent.ALERT, Instant.now(), "routing", null, null,
                null, null, t.route().providerSystem(), t.route().providerAgency(), t.route().serviceCode(),
                t.route().version(), t.environment(), null, null, null, null, null, null, null, null, null, null,
                kind, null, null, null, null, null, null, null,
                Texts.clip("Provider upstream of " + t.route().serviceCode() + " " + t.route().version() + " ("
                        + t.environment() + ") " + what, 1024));
        if (!publisher.offer(event)) {
            LOG.errorf("Audit buffer full: %s alert for %s not queued", kind, t.route().serviceCode());
        }
    }

    private record Target(Route route, String environment, Upstream upstream) {
    }
}
