package vn.lgsp.routing.snapshot.service;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.security.PublicKey;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import vn.lgsp.common.client.PlatformConfig;
import vn.lgsp.common.client.ServiceTokens;
import vn.lgsp.routing.config.RoutingConfig;
import vn.lgsp.common.httpsig.HttpSignatures;
import vn.lgsp.common.id.Environment;
import vn.lgsp.common.security.RevocationFeed;
import vn.lgsp.common.security.RevokedTokens;
import vn.lgsp.routing.snapshot.domain.HmacKey;
import vn.lgsp.routing.snapshot.service.FeedDocuments.CatalogChanges;
import vn.lgsp.routing.snapshot.service.FeedDocuments.CatalogSnapshot;
import vn.lgsp.routing.snapshot.service.FeedDocuments.ChangeDoc;
import vn.lgsp.routing.snapshot.service.FeedDocuments.HmacKeyDoc;
import vn.lgsp.routing.snapshot.service.FeedDocuments.HmacKeys;
import vn.lgsp.routing.snapshot.service.FeedDocuments.MaintenanceDoc;
import vn.lgsp.routing.snapshot.service.FeedDocuments.RouteDoc;
import vn.lgsp.routing.snapshot.service.FeedDocuments.SubscriptionDoc;

/**
 * Keeps the snapshot current from catalog's snapshot and change feeds, auth's revocation and hmac-keys feeds and auth's
 * JWKS. Catalog: the whole snapshot once (and again whenever the change log cannot continue: 410), then only the
 * changes after its revision, applied to the routes, subscriptions and maintenance windows as received, so a change
 * costs its own size rather than the whole catalog's. Auth's feeds are polled with {@code If-None-Match}, so an unchanged feed costs a
 * 304. Runs on timers, never on the request path; on any failure the last good snapshot stays in force.
 */
@ApplicationScoped
public class SnapshotLoader {

    private static final Logger LOG = Logger.getLogger(SnapshotLoader.class);

    @Inject
    Vertx vertx;

    @Inject
    PlatformConfig platform;

    @Inject
    RoutingConfig config;

    @Inject
    ServiceTokens tokens;

    @Inject
    ObjectMapper mapper;

    @Inject
    SnapshotHolder holder;

    /** What the admin API refuses (libs): fed from the same revocation feed, so libs' own poller is off here. */
    @Inject
    RevokedTokens adminRevocations;

    @Inject
    io.micrometer.core.instrument.MeterRegistry meters;

    private static final java.time.Duration INITIAL_LOAD_WAIT = java.time.Duration.ofSeconds(5);

    private HttpClient http;
    /**
     * The one event-loop context the feeds continue on once the service token is at hand. The token's future
     * completes on the JDK HTTP client's own thread; starting a Vert.x request from there gives every poll a fresh
     * context of its own, which is not how the client is meant to be driven.
     */
    private io.vertx.core.Context context;
    private long pollTimer = -1;
    private long keysTimer = -1;
    // Four call timeouts of the default configuration until start() applies the configured one.
    private final Feed catalogFeed = new Feed("catalog", java.time.Duration.ofSeconds(20));
    private final Feed revocationFeed = new Feed("auth revocations", java.time.Duration.ofSeconds(20));
    private final Feed hmacKeyFeed = new Feed("auth hmac-keys", java.time.Duration.ofSeconds(20));
    private final Feed keysFeed = new Feed("auth JWKS", java.time.Duration.ofSeconds(20));
    /**
     * catalog's routes (by serviceCode:version), subscriptions and maintenance windows (by id) as last received: the
     * snapshot, then the changes since (windows cancelled or over are dropped). Touched by the catalog feed's current
     * poll only, under this lock (an abandoned poll that wakes up late finds itself no longer current and leaves them
     * alone).
     */
    private final Object catalogLock = new Object();
    private final Map<String, RouteDoc> routeDocs = new HashMap<>();
    private final Map<String, SubscriptionDoc> subscriptionDocs = new HashMap<>();
    private final Map<String, MaintenanceDoc> maintenanceDocs = new HashMap<>();
    /** The revision those hold; -1 until a snapshot is loaded, and again when the change log cannot continue. */
    private volatile long catalogRevision = -1;
    private volatile Future<Void> keysInFlight = Future.succeededFuture();
    private volatile long keysAttemptAt;

    void start(@Observes StartupEvent ev) {
        // A poll is a token (≤ one call timeout), a pooled connection (≤ one), the answer (≤ one idle timeout) and
        // parsing: one still running after four call timeouts has missed a timeout and is abandoned.
        java.time.Duration overdue = platform.callTimeout().multipliedBy(4);
        for (Feed feed : List.of(catalogFeed, revocationFeed, hmacKeyFeed, keysFeed)) {
            feed.overdueAfter(overdue);
        }
        Instant started = Instant.now();
        // How old what the gateway enforces is, per feed: the chart alerts on it (a stale revocations feed means
        // revoked credentials still pass). Until a feed's first answer, the time since start.
        ageGauge("catalog", started, () -> holder.get().catalogCheckedAt());
        ageGauge("revocations", started, () -> holder.get().revocationsCheckedAt());
        http = vertx.createHttpClient(new HttpClientOptions()
                .setConnectTimeout((int) platform.callTimeout().toMillis())
                .setKeepAlive(true)
                .setMaxPoolSize(4));
        context = vertx.getOrCreateContext();
        pollFeeds();
        refreshKeys();
        long every = Math.max(50, config.snapshotPoll().toMillis());
        pollTimer = vertx.setPeriodic(every, every, id -> pollFeeds());
        long keysEvery = config.identity().jwksRefreshInterval().toMillis();
        keysTimer = vertx.setPeriodic(keysEvery, keysEvery, id -> refreshKeys());
        awaitFirstSnapshot(INITIAL_LOAD_WAIT);
    }

    private void ageGauge(String feed, Instant started, java.util.function.Supplier<Instant> confirmedAt) {
        io.micrometer.core.instrument.Gauge.builder("lgsp.routing.snapshot.age", () -> {
            Instant at = confirmedAt.get();
            return java.time.Duration.between(at == null ? started : at, Instant.now()).toMillis() / 1000.0;
        }).description("Seconds since the feed last confirmed the gateway's snapshot is current").baseUnit("seconds")
                .tag("feed", feed).register(meters);
    }

    /**
     * Start-up waits a little for the first complete snapshot, so the gateway usually opens its port already
     * knowing the world; if catalog or auth are down it starts anyway, not ready, and keeps polling.
     */
    private void awaitFirstSnapshot(java.time.Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!holder.get().complete() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    void stop(@Observes ShutdownEvent ev) {
        vertx.cancelTimer(pollTimer);
        vertx.cancelTimer(keysTimer);
        if (http != null) {
            http.close();
        }
    }

    /** One poll of both feeds; a feed still waiting for its previous answer is skipped. */
    public void pollFeeds() {
        // Until auth's keys are known (auth may start after routing), retry them at the feed pace, not the
        // routine JWKS refresh interval; the minimum refresh interval still bounds the rate.
        if (keysFeed.failing || holder.get().keys().isEmpty()) {
            refreshKeys();
        }
        if (catalogRevision < 0) {
            poll(catalogFeed, platform.catalogUrl() + "/api/v1/feed/snapshot", this::applyCatalog,
                    () -> holder.update(s -> s.withCatalogChecked(Instant.now())));
        } else {
            pollCatalogChanges();
        }
        poll(revocationFeed, platform.authUrl() + "/api/v1/feed/revocations", this::applyRevocations, () -> {
            holder.update(s -> s.withRevocationsChecked(Instant.now()));
            adminRevocations.checked();
        });
        // Access keys for RFC 9421 signed requests. Not part of readiness: a platform may have no signing clients.
        poll(hmacKeyFeed, platform.authUrl() + "/api/v1/feed/hmac-keys", this::applyHmacKeys, () -> { });
    }

    /** Whether the last attempt to load auth's verification keys failed (auth unreachable or answering errors). */
    public boolean keysFailing() {
        return keysFeed.failing;
    }

    /**
     * Reloads auth's verification keys; called routinely and when a token names an unknown key id. Calls closer
     * together than the configured minimum share the previous attempt, so a flood of forged key ids cannot
     * hammer auth.
     */
    public Future<Void> refreshKeys() {
        long now = System.currentTimeMillis();
        if (now - keysAttemptAt < config.identity().jwksRefreshMinInterval().toMillis()) {
            return keysInFlight;
        }
        long ticket = keysFeed.begin(System.nanoTime());
        if (ticket < 0) {
            return keysInFlight;
        }
        keysAttemptAt = now;
        Future<Void> f = fetch(platform.authUrl() + "/oauth2/jwks", null, null)
                .compose(r -> {
                    if (r.status() != 200) {
                        return Future.failedFuture("HTTP " + r.status());
                    }
                    return vertx.executeBlocking(() -> parseKeys(r.body().toString()), false);
                })
                .map(keys -> {
                    if (keysFeed.current(ticket)) {
                        holder.update(s -> s.withKeys(keys, Instant.now()));
                    }
                    return (Void) null;
                })
                // Callers waiting on a refresh go on either way: with the new keys, or the ones known before.
                .transform(ar -> {
                    keysFeed.end(ticket, ar.failed() ? ar.cause() : null);
                    return Future.succeededFuture();
                });
        keysInFlight = f;
        return f;
    }

    private Map<String, PublicKey> parseKeys(String json) throws Exception {
        Map<String, PublicKey> keys = new HashMap<>();
        for (JsonWebKey jwk : new JsonWebKeySet(json).getJsonWebKeys()) {
            if (jwk instanceof PublicJsonWebKey pub && jwk.getKeyId() != null
                    && (jwk.getUse() == null || "sig".equals(jwk.getUse()))) {
                keys.put(jwk.getKeyId(), pub.getPublicKey());
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalStateException("the JWKS holds no signing key with a key id");
        }
        return Map.copyOf(keys);
    }

    private void applyCatalog(long ticket, Buffer body) throws Exception {
        CatalogSnapshot doc = mapper.readValue(body.getBytes(), CatalogSnapshot.class);
        synchronized (catalogLock) {
            if (catalogFeed.current(ticket)) {
                replaceCatalog(doc);
            }
        }
    }

    private void replaceCatalog(CatalogSnapshot doc) {
        routeDocs.clear();
        subscriptionDocs.clear();
        maintenanceDocs.clear();
        for (RouteDoc r : doc.routes() == null ? List.<RouteDoc>of() : doc.routes()) {
            if (r != null) {
                routeDocs.put(routeKey(r), r);
            }
        }
        for (SubscriptionDoc sub : doc.subscriptions() == null ? List.<SubscriptionDoc>of() : doc.subscriptions()) {
            if (sub != null) {
                subscriptionDocs.put(String.valueOf(sub.id()), sub);
            }
        }
        // A catalog older than M8 sends no "maintenance": no windows.
        for (MaintenanceDoc m : doc.maintenance() == null ? List.<MaintenanceDoc>of() : doc.maintenance()) {
            if (m != null && m.id() != null && !Boolean.TRUE.equals(m.cancelled())) {
                maintenanceDocs.put(m.id(), m);
            }
        }
        rebuildCatalog(doc.revision());
        catalogRevision = doc.revision();
    }

    /** What was received so far, as the snapshot's lookup maps (and windows) at {@code revision}. */
    private void rebuildCatalog(long revision) {
        var routes = RouteTable.routes(List.copyOf(routeDocs.values()), config.upstream().defaultTimeout().toMillis(),
                config.upstream().defaultMaxRequestBytes(), config.upstream().defaultMaxConnections());
        var subs = RouteTable.activeSubscriptions(List.copyOf(subscriptionDocs.values()));
        Instant now = Instant.now();
        dropEndedWindows(now);
        var windows = RouteTable.maintenance(maintenanceDocs.values(), now);
        holder.update(s -> s.withCatalog(revision, now, routes, subs, windows));
        LOG.debugf("Catalog revision %d: %d routes, %d active subscriptions, %d maintenance windows", revision,
                routes.size(), subs.size(), windows.size());
    }

    /**
     * catalog lists only windows not yet over and sends no change when one ends: the reader drops them by its own
     * clock (docs/internal-apis.md), here at each poll, so they do not pile up. Until then an ended window refuses
     * nothing (MaintenanceWindow.inEffectAt). True when one was dropped.
     */
    private boolean dropEndedWindows(Instant now) {
        return maintenanceDocs.values().removeIf(m -> m.endsAt() != null && !m.endsAt().isAfter(now));
    }

    private static String routeKey(RouteDoc r) {
        return r.serviceCode() + ":" + r.version();
    }

    /**
     * One poll of catalog's change feed after the revision held. 410 (the log no longer reaches back to it, or
     * catalog's revision went backwards, e.g. a restored database): the snapshot is loaded again at once. A page
     * that says more follow is followed at once.
     */
    private void pollCatalogChanges() {
        Feed feed = catalogFeed;
        long ticket = feed.begin(System.nanoTime());
        if (ticket < 0) {
            return;
        }
        long since = catalogRevision;
        Future.fromCompletionStage(tokens.token(), context)
                .compose(token -> fetch(platform.catalogUrl() + "/api/v1/feed/changes?waitSeconds=0&since=" + since,
                        token, null))
                .compose(r -> {
                    if (r.status() == 410 && feed.current(ticket)) {
                        LOG.infof("Catalog's change log cannot continue from revision %d; loading its snapshot again",
                                since);
                        catalogRevision = -1;
                        feed.etag = null;
                        return Future.succeededFuture(true);
                    }
                    if (r.status() == 401) {
                        tokens.invalidate();
                    }
                    if (r.status() != 200) {
                        return Future.failedFuture("HTTP " + r.status());
                    }
                    return vertx.executeBlocking(() -> applyChanges(ticket, since, r.body()), false);
                })
                .onComplete(ar -> {
                    boolean more = ar.succeeded() && Boolean.TRUE.equals(ar.result()) && feed.current(ticket);
                    feed.end(ticket, ar.failed() ? ar.cause() : null);
                    if (more) {
                        vertx.runOnContext(v -> pollFeeds());
                    }
                });
    }

    /** Applies a page of changes; true when more are waiting (or the snapshot must be loaded). */
    private boolean applyChanges(long ticket, long since, Buffer body) throws Exception {
        CatalogChanges doc = mapper.readValue(body.getBytes(), CatalogChanges.class);
        synchronized (catalogLock) {
            return catalogFeed.current(ticket) && applyChanges(since, doc);
        }
    }

    private boolean applyChanges(long since, CatalogChanges doc) {
        List<ChangeDoc> changes = doc.changes() == null ? List.of() : doc.changes();
        for (ChangeDoc c : changes) {
            if (c == null || c.data() == null || c.data().isNull()) {
                continue;
            }
            try {
                if ("route".equals(c.kind())) {
                    RouteDoc r = mapper.treeToValue(c.data(), RouteDoc.class);
                    routeDocs.put(routeKey(r), r);
                } else if ("maintenance".equals(c.kind())) {
                    // The whole window as it is now, under its id; cancelled: withdrawn.
                    MaintenanceDoc m = mapper.treeToValue(c.data(), MaintenanceDoc.class);
                    if (m.id() == null && c.key() != null) {
                        m = new MaintenanceDoc(c.key(), m.title(), m.serviceCodes(), m.environment(), m.impact(),
                                m.startsAt(), m.endsAt(), m.cancelled());
                    }
                    if (m.id() == null) {
                        LOG.warnf("Ignoring catalog change %d: a maintenance window without an id", c.seq());
                    } else if (Boolean.TRUE.equals(m.cancelled())) {
                        maintenanceDocs.remove(m.id());
                    } else {
                        maintenanceDocs.put(m.id(), m);
                    }
                } else if ("subscription".equals(c.kind())) {
                    SubscriptionDoc sub = mapper.treeToValue(c.data(), SubscriptionDoc.class);
                    // One that is no longer active is dropped (the snapshot holds active ones only).
                    if (sub.status() == null || "active".equalsIgnoreCase(sub.status())) {
                        subscriptionDocs.put(String.valueOf(sub.id()), sub);
                    } else {
                        subscriptionDocs.remove(String.valueOf(sub.id()));
                    }
                } else {
                    LOG.debugf("Ignoring catalog change %d of unknown kind %s", c.seq(), c.kind());
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
                // Not stuck behind one unreadable change: the snapshot (whose bad entries are skipped) instead.
                String why = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage()
                        : e.getMessage();
                LOG.warnf("Catalog change %d (%s) could not be read (%s); loading the snapshot again", c.seq(),
                        c.kind(), why);
                catalogRevision = -1;
                catalogFeed.etag = null;
                return true;
            }
        }
        long revision = Math.max(since, doc.revision());
        if (changes.isEmpty()) {
            Instant now = Instant.now();
            if (dropEndedWindows(now)) {
                var windows = RouteTable.maintenance(maintenanceDocs.values(), now);
                holder.update(s -> s.withCatalogChecked(now).withMaintenance(windows));
            } else {
                holder.update(s -> s.withCatalogChecked(now));
            }
        } else {
            rebuildCatalog(revision);
        }
        catalogRevision = revision;
        return doc.hasMore();
    }

    private void applyRevocations(long ticket, Buffer body) throws Exception {
        RevocationFeed doc = mapper.readValue(body.getBytes(), RevocationFeed.class);
        Set<String> clients = doc.revokedClientIds() == null ? Set.of() : Set.copyOf(doc.revokedClientIds());
        Set<String> jtis = doc.revokedTokenIds() == null ? Set.of() : Set.copyOf(doc.revokedTokenIds());
        Instant now = Instant.now();
        if (revocationFeed.current(ticket)) {
            holder.update(s -> s.withRevocations(doc.revision(), now, clients, jtis));
            // routing's own admin API (libs' RevocationAugmentor) enforces the same feed, admin logouts included
            adminRevocations.apply(doc);
        }
    }

    private void applyHmacKeys(long ticket, Buffer body) throws Exception {
        HmacKeys doc = mapper.readValue(body.getBytes(), HmacKeys.class);
        Map<String, HmacKey> keys = new HashMap<>();
        int skipped = 0;
        Instant now = Instant.now();
        for (HmacKeyDoc k : doc.keys() == null ? java.util.List.<HmacKeyDoc>of() : doc.keys()) {
            HmacKey key = hmacKey(k);
            if (key == null) {
                skipped++;
            } else if (key.activeAt(now)) {
                keys.put(key.accessKey(), key);
            }
        }
        if (skipped > 0) {
            // Names only the count: the entries hold secrets.
            LOG.warnf("Ignored %d incomplete entries in auth's hmac-keys feed revision %d", skipped, doc.revision());
        }
        Map<String, HmacKey> frozen = Map.copyOf(keys);
        if (!hmacKeyFeed.current(ticket)) {
            return;
        }
        holder.update(s -> s.withHmacKeys(doc.revision(), frozen));
        LOG.debugf("HMAC key feed revision %d: %d active access keys", doc.revision(), frozen.size());
    }

    private static HmacKey hmacKey(HmacKeyDoc k) {
        if (k == null || blank(k.accessKey()) || blank(k.secretKey()) || blank(k.systemCode())
                || blank(k.agencyCode())) {
            return null;
        }
        String env;
        try {
            env = Environment.parse(k.environment()).wire();
        } catch (RuntimeException e) {
            return null;
        }
        boolean overlap = !blank(k.previousSecretKey()) && k.previousValidUntil() != null;
        return new HmacKey(k.accessKey(), HttpSignatures.keyBytes(k.secretKey()), k.systemCode(), k.agencyCode(), env,
                k.expiresAt(), overlap ? HttpSignatures.keyBytes(k.previousSecretKey()) : null,
                overlap ? k.previousValidUntil() : null);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private void poll(Feed feed, String url, BodyConsumer apply, Runnable unchanged) {
        long ticket = feed.begin(System.nanoTime());
        if (ticket < 0) {
            return;
        }
        Future.fromCompletionStage(tokens.token(), context)
                .compose(token -> fetch(url, token, feed.etag))
                .compose(r -> {
                    if (r.status() == 304) {
                        if (feed.current(ticket)) {
                            unchanged.run();
                        }
                        return Future.succeededFuture();
                    }
                    if (r.status() == 401) {
                        tokens.invalidate();
                    }
                    if (r.status() != 200) {
                        return Future.failedFuture("HTTP " + r.status());
                    }
                    // Parsing a large snapshot takes milliseconds: keep it off the event loop.
                    return vertx.executeBlocking(() -> {
                        apply.accept(ticket, r.body());
                        if (feed.current(ticket)) {
                            feed.etag = r.etag();
                        }
                        return null;
                    }, false);
                })
                .onComplete(ar -> feed.end(ticket, ar.failed() ? ar.cause() : null));
    }

    private Future<Fetched> fetch(String url, String token, String etag) {
        // The connect timeout here also bounds the wait for a pooled connection, which is otherwise unbounded.
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url)
                .setConnectTimeout(platform.callTimeout().toMillis())
                .setIdleTimeout(platform.callTimeout().toMillis())
                .putHeader("Accept", "application/json");
        if (token != null) {
            options.putHeader("Authorization", "Bearer " + token);
        }
        if (etag != null) {
            options.putHeader("If-None-Match", etag);
        }
        return http.request(options)
                .compose(req -> req.send())
                .compose(resp -> resp.body().map(b -> new Fetched(resp.statusCode(), resp.getHeader("ETag"), b)));
    }

    private record Fetched(int status, String etag, Buffer body) {
    }

    @FunctionalInterface
    private interface BodyConsumer {
        void accept(long ticket, Buffer body) throws Exception;
    }
}
