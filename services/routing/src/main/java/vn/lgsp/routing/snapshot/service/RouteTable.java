package vn.lgsp.routing.snapshot.service;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jboss.logging.Logger;
import vn.lgsp.common.access.AccessLevel;
import vn.lgsp.common.access.AccessRule;
import vn.lgsp.common.access.AccessRules;
import vn.lgsp.common.id.Environment;
import vn.lgsp.routing.snapshot.domain.MaintenanceWindow;
import vn.lgsp.routing.snapshot.domain.Route;
import vn.lgsp.routing.snapshot.domain.RouteStatus;
import vn.lgsp.routing.snapshot.domain.Subscription;
import vn.lgsp.routing.snapshot.domain.Upstream;
import vn.lgsp.routing.snapshot.domain.UpstreamAuth;
import vn.lgsp.routing.snapshot.service.FeedDocuments.AccessRuleDoc;
import vn.lgsp.routing.snapshot.service.FeedDocuments.MaintenanceDoc;
import vn.lgsp.routing.snapshot.service.FeedDocuments.RouteDoc;
import vn.lgsp.routing.snapshot.service.FeedDocuments.SubscriptionDoc;

/** Turns catalog's feed documents into the lookup maps of the snapshot. A bad entry is skipped, not fatal. */
public final class RouteTable {

    private static final Logger LOG = Logger.getLogger(RouteTable.class);
    /** REQUIREMENTS P1: no answer may take longer than 30 s. */
    public static final long MAX_TIMEOUT_MS = 30_000;
    /** catalog allows 1..16; a newer catalog offering more is held to what this gateway was built for */
    static final int MAX_PIPELINING = 16;
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH);

    private RouteTable() {
    }

    public static Map<Route.Key, Route> routes(List<RouteDoc> docs, long defaultTimeoutMs, long defaultMaxBytes,
            int defaultMaxConnections) {
        Map<Route.Key, Route> routes = new HashMap<>();
        if (docs == null) {
            return Map.of();
        }
        for (RouteDoc d : docs) {
            try {
                Map<String, Upstream> upstreams = new HashMap<>();
                if (d.upstreams() != null) {
                    d.upstreams().forEach((env, url) -> {
                        if (url != null && !url.isBlank()) {
                            upstreams.put(env.toLowerCase(Locale.ROOT), Upstream.parse(url));
                        }
                    });
                }
                long timeout = d.timeoutMs() == null || d.timeoutMs() <= 0 ? defaultTimeoutMs : d.timeoutMs();
                long maxBytes = d.maxRequestBytes() == null || d.maxRequestBytes() < 0 ? defaultMaxBytes : d.maxRequestBytes();
                int connections = d.maxConnections() == null || d.maxConnections() < 1 ? defaultMaxConnections : d.maxConnections();
                Route r = new Route(d.serviceCode(), d.version(), RouteStatus.parse(d.status()), d.providerSystem(),
                        d.providerAgency(), Map.copyOf(upstreams), Math.min(timeout, MAX_TIMEOUT_MS), maxBytes, connections,
                        d.deprecatedAt(), d.sunsetAt(), d.retiredAt(),
                        d.deprecatedAt() == null ? null : "@" + d.deprecatedAt().getEpochSecond(),
                        d.sunsetAt() == null ? null : httpDate(d.sunsetAt()), null, upstreamAuth(d.upstreamAuth()),
                        conversion(d), accessRules(d), d.pipelining() == null ? 1 : Math.min(d.pipelining(), MAX_PIPELINING));
                routes.put(r.key(), r);
            } catch (RuntimeException e) {
                LOG.warnf("Skipping route %s/%s from the catalog snapshot: %s", d.serviceCode(), d.version(), e.getMessage());
            }
        }
        // A deprecated version points to its successor: the lowest higher version that is published.
        Map<Route.Key, Route> linked = new HashMap<>(routes.size());
        for (Route r : routes.values()) {
            String link = null;
            if (r.deprecatedAt() != null || r.status() == RouteStatus.DEPRECATED) {
                int mine = number(r.version());
                int best = Integer.MAX_VALUE;
                for (Route other : routes.values()) {
                    int n = number(other.version());
                    if (other.serviceCode().equals(r.serviceCode()) && other.status() == RouteStatus.PUBLISHED
                            && n > mine && n < best) {
                        best = n;
                    }
                }
                if (best != Integer.MAX_VALUE) {
                    link = "</" + r.serviceCode() + "/v" + best + ">; rel=\"successor-version\"";
                }
            }
            linked.put(r.key(), link == null ? r : new Route(r.serviceCode(), r.version(), r.status(),
                    r.providerSystem(), r.providerAgency(), r.upstreams(), r.timeoutMs(), r.maxRequestBytes(), r.maxConnections(),
                    r.deprecatedAt(), r.sunsetAt(), r.retiredAt(), r.deprecationHeader(), r.sunsetHeader(), link,
                    r.upstreamAuth(), r.conversion(), r.accessRules(), r.pipelining()));
        }
        return Map.copyOf(linked);
    }

    public static Map<Subscription.Key, Subscription> activeSubscriptions(List<SubscriptionDoc> docs) {
        if (docs == null) {
            return Map.of();
        }
        Map<Subscription.Key, Subscription> subs = new HashMap<>();
        int unknownLevels = 0;
        for (SubscriptionDoc d : docs) {
            if (d.status() != null && !"active".equalsIgnoreCase(d.status())) {
                continue;
            }
            if (d.consumerSystem() == null || d.serviceCode() == null || d.version() == null || d.environment() == null) {
                LOG.warnf("Skipping incomplete subscription %s from the catalog snapshot", d.id());
                continue;
            }
            Subscription s = new Subscription(d.id(), d.serviceCode(), d.version(), d.consumerSystem(),
                    d.consumerAgency(), d.environment().toLowerCase(Locale.ROOT), d.requestsPerSecond(), d.burst(),
                    d.dailyQuota(), d.periodStart() == null ? Long.MIN_VALUE : d.periodStart().toEpochDay(),
                    d.periodEnd() == null ? Long.MAX_VALUE : d.periodEnd().toEpochDay(), accessLevel(d.accessLevel()));
            if (d.accessLevel() != null && AccessLevel.of(d.accessLevel()) == null) {
                unknownLevels++;
            }
            subs.put(s.key(), s);
        }
        if (unknownLevels > 0) {
            // One line per rebuild, not per subscription: a catalog ahead of this gateway may send many.
            LOG.warnf("%d subscriptions from the catalog carry an access level this gateway does not know; they are "
                    + "held to view until routing is upgraded", unknownLevels);
        }
        return Map.copyOf(subs);
    }

    /**
     * A subscription's level: absent (a catalog older than access levels) = null, unrestricted as before; a name this
     * gateway does not know (a newer catalog) = view, since guessing higher could let it change a provider's data.
     */
    static AccessLevel accessLevel(String wire) {
        if (wire == null) {
            return null;
        }
        AccessLevel level = AccessLevel.of(wire);
        return level == null ? AccessLevel.VIEW : level;
    }

    /**
     * Compiled here, once per snapshot, so a call only matches. Rules that do not validate are not dropped (that
     * could lower what an operation requires): AccessRules.compile then requires share of every call.
     */
    private static AccessRules accessRules(RouteDoc d) {
        if (d.accessRules() == null || d.accessRules().isEmpty()) {
            return AccessRules.NONE;
        }
        List<AccessRule> rules = new ArrayList<>(d.accessRules().size());
        for (AccessRuleDoc r : d.accessRules()) {
            rules.add(r == null ? null : new AccessRule(r.methods(), r.path(), r.level()));
        }
        var problems = AccessRules.validate(rules, "accessRules");
        if (!problems.isEmpty()) {
            LOG.warnf("Route %s/%s from the catalog has access rules this gateway cannot read (%s): every call to it "
                    + "requires share until they are fixed", d.serviceCode(), d.version(),
                    problems.get(0).field() + " " + problems.get(0).rule());
        }
        return AccessRules.compile(rules);
    }

    /**
     * The windows that are neither cancelled nor over at {@code now}, sorted by start. One the gateway cannot
     * honour as announced (no id or times, an end not after its start, an environment or impact it does not know)
     * is skipped with a warning: refusing calls on a guess would be worse than not refusing them.
     */
    public static List<MaintenanceWindow> maintenance(Collection<MaintenanceDoc> docs, Instant now) {
        if (docs == null || docs.isEmpty()) {
            return List.of();
        }
        List<MaintenanceWindow> windows = new ArrayList<>();
        for (MaintenanceDoc d : docs) {
            if (d == null || Boolean.TRUE.equals(d.cancelled())) {
                continue;
            }
            MaintenanceWindow w = maintenanceWindow(d);
            if (w == null) {
                LOG.warnf("Skipping maintenance window %s from the catalog feed: incomplete or of an unknown kind",
                        d.id());
            } else if (!w.endedAt(now.toEpochMilli())) {
                windows.add(w);
            }
        }
        windows.sort(Comparator.comparing(MaintenanceWindow::startsAt).thenComparing(MaintenanceWindow::id));
        return List.copyOf(windows);
    }

    private static MaintenanceWindow maintenanceWindow(MaintenanceDoc d) {
        if (d.id() == null || d.startsAt() == null || d.endsAt() == null || !d.endsAt().isAfter(d.startsAt())) {
            return null;
        }
        boolean unavailable;
        if (MaintenanceWindow.UNAVAILABLE.equalsIgnoreCase(d.impact())) {
            unavailable = true;
        } else if (MaintenanceWindow.DEGRADED.equalsIgnoreCase(d.impact())) {
            unavailable = false;
        } else {
            return null;
        }
        String environment;
        try {
            Environment env = Environment.parse(d.environment());
            environment = env == null ? null : env.wire();
        } catch (IllegalArgumentException e) {
            return null;
        }
        Set<String> codes = new HashSet<>();
        if (d.serviceCodes() != null) {
            for (String code : d.serviceCodes()) {
                if (code != null && !code.isBlank()) {
                    codes.add(code);
                }
            }
        }
        // serviceCodes [null] or [""] is not "every service": that reading would close the whole platform.
        if (codes.isEmpty() && d.serviceCodes() != null && !d.serviceCodes().isEmpty()) {
            return null;
        }
        return new MaintenanceWindow(d.id(), d.title(), Set.copyOf(codes), environment, unavailable,
                d.startsAt(), d.endsAt());
    }

    /** RFC 8594 / RFC 9110 IMF-fixdate. */
    static String httpDate(Instant instant) {
        return IMF_FIXDATE.format(instant.atZone(ZoneOffset.UTC));
    }

    private static int number(String version) {
        try {
            return Integer.parseInt(version.substring(1));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    private static Route.Conversion conversion(RouteDoc d) {
        if (d.convert() == null || !d.convert()) {
            return Route.Conversion.NONE;
        }
        return new Route.Conversion(format(d.requestFormat()), format(d.responseFormat()), true);
    }

    private static String format(String f) {
        return "xml".equalsIgnoreCase(f) ? "xml" : "json";
    }

    private static UpstreamAuth upstreamAuth(FeedDocuments.UpstreamAuthDoc a) {
        return a == null ? UpstreamAuth.NONE : UpstreamAuth.parse(a.type(), a.headerName(), a.secretRef(), a.tokenUrl(),
                a.clientId(), a.clientSecretRef(), a.scope());
    }
}
