package vn.lgsp.routing.snapshot.domain;

import java.time.Instant;
import java.util.Map;
import vn.lgsp.common.access.AccessRules;

/**
 * One service version as the gateway serves it. Header values that depend only on the route (Deprecation,
 * Sunset, successor Link) are formatted when the snapshot is built, not on every request.
 */
public record Route(
        String serviceCode,
        String version,
        RouteStatus status,
        String providerSystem,
        String providerAgency,
        /** environment wire name (test, production) to upstream */
        Map<String, Upstream> upstreams,
        long timeoutMs,
        long maxRequestBytes,
        /** the most connections the whole gateway opens to this version's upstream (proxy.UpstreamClients) */
        int maxConnections,
        Instant deprecatedAt,
        Instant sunsetAt,
        Instant retiredAt,
        String deprecationHeader,
        String sunsetHeader,
        String successorLinkHeader,
        /** how the gateway authenticates to this version's provider; never null */
        UpstreamAuth upstreamAuth,
        /** the formats the provider speaks and whether the gateway converts for callers; never null */
        Conversion conversion,
        /** the access level each operation requires (REQUIREMENTS A3), compiled with the snapshot; never null */
        AccessRules accessRules,
        /** GET/HEAD/OPTIONS requests sent ahead on one upstream connection (HTTP/1.1 pipelining); 1 = none */
        int pipelining) {

    public Route {
        if (accessRules == null) {
            accessRules = AccessRules.NONE;
        }
        pipelining = Math.max(1, pipelining);
    }

    /** A version without pipelining. */
    public Route(String serviceCode, String version, RouteStatus status, String providerSystem, String providerAgency,
            Map<String, Upstream> upstreams, long timeoutMs, long maxRequestBytes, int maxConnections,
            Instant deprecatedAt, Instant sunsetAt, Instant retiredAt, String deprecationHeader, String sunsetHeader,
            String successorLinkHeader, UpstreamAuth upstreamAuth, Conversion conversion, AccessRules accessRules) {
        this(serviceCode, version, status, providerSystem, providerAgency, upstreams, timeoutMs, maxRequestBytes,
                maxConnections, deprecatedAt, sunsetAt, retiredAt, deprecationHeader, sunsetHeader, successorLinkHeader,
                upstreamAuth, conversion, accessRules, 1);
    }

    /** A version without access rules: every operation requires its method's default level. */
    public Route(String serviceCode, String version, RouteStatus status, String providerSystem, String providerAgency,
            Map<String, Upstream> upstreams, long timeoutMs, long maxRequestBytes, int maxConnections,
            Instant deprecatedAt, Instant sunsetAt, Instant retiredAt, String deprecationHeader, String sunsetHeader,
            String successorLinkHeader, UpstreamAuth upstreamAuth, Conversion conversion) {
        this(serviceCode, version, status, providerSystem, providerAgency, upstreams, timeoutMs, maxRequestBytes,
                maxConnections, deprecatedAt, sunsetAt, retiredAt, deprecationHeader, sunsetHeader, successorLinkHeader,
                upstreamAuth, conversion, AccessRules.NONE, 1);
    }

    /**
     * @param requestFormat  what the provider accepts (json, xml)
     * @param responseFormat what the provider answers in (json, xml)
     * @param enabled        convert bodies a caller sends or wants in the other format
     */
    public record Conversion(String requestFormat, String responseFormat, boolean enabled) {
        public static final Conversion NONE = new Conversion("json", "json", false);
    }


    public record Key(String serviceCode, String version) {
    }

    public Key key() {
        return new Key(serviceCode, version);
    }

    /** Published (or deprecated) versions are offered everywhere; testing ones only to test-environment callers. */
    public boolean offeredIn(String environment) {
        return status != RouteStatus.DRAFT && (status != RouteStatus.TESTING || "test".equals(environment));
    }

    public boolean retired(Instant now) {
        return status == RouteStatus.RETIRED || (retiredAt != null && !retiredAt.isAfter(now));
    }
}
