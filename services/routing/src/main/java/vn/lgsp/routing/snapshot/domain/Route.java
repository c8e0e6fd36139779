package vn.lgsp.routing.snapshot.domain;

import java.time.Instant;
import java.util.Map;

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
        Instant deprecatedAt,
        Instant sunsetAt,
        Instant retiredAt,
        String deprecationHeader,
        String sunsetHeader,
        String successorLinkHeader) {

    public record Key(String serviceCode, String version) {
    }

    public Key key() {
        return new Key(serviceCode, version);
    }

    public boolean retired(Instant now) {
        return status == RouteStatus.RETIRED || (retiredAt != null && !retiredAt.isAfter(now));
    }
}
