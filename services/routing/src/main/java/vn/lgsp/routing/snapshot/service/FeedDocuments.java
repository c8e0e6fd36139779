package vn.lgsp.routing.snapshot.service;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The feed shapes of docs/internal-apis.md (auth's revocation feed: libs' RevocationFeed). Unknown members are ignored: catalog and auth may add fields
 * without breaking a gateway that is one release behind.
 */
public final class FeedDocuments {

    private FeedDocuments() {
    }

    /** {@code maintenance} absent (a catalog older than M8): no windows. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CatalogSnapshot(long revision, Instant generatedAt, List<RouteDoc> routes,
            List<SubscriptionDoc> subscriptions, List<MaintenanceDoc> maintenance) {
    }

    /**
     * catalog's change feed: the changes after a revision, each with the route, subscription or maintenance window
     * as it is now.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record CatalogChanges(long revision, boolean hasMore, List<ChangeDoc> changes) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ChangeDoc(long seq, String kind, String key, JsonNode data) {
    }

    /** accessRules (REQUIREMENTS A3) absent (a catalog older than access levels): none, every method its default. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RouteDoc(String serviceCode, String version, String status, String providerSystem,
            String providerAgency, Map<String, String> upstreams, Long timeoutMs, Long maxRequestBytes, Integer maxConnections,
            Instant deprecatedAt, Instant sunsetAt, Instant retiredAt, UpstreamAuthDoc upstreamAuth,
            String requestFormat, String responseFormat, Boolean convert, List<AccessRuleDoc> accessRules,
            Integer pipelining) {
    }

    /**
     * One rule as libs' AccessRule, read here rather than into it: the platform's mapper fails on unknown members,
     * and a rule that gains one in a newer catalog must not make the whole snapshot unreadable.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record AccessRuleDoc(List<String> methods, String path, String level) {
    }

    /** Names of secrets only; their values are read from routing's own secret store. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record UpstreamAuthDoc(String type, String headerName, String secretRef, String tokenUrl, String clientId,
            String clientSecretRef, String scope) {
    }

    /**
     * periodStart / periodEnd: the first and last day of use (the province's calendar); absent = unbounded.
     * accessLevel (REQUIREMENTS A3): absent (a catalog older than access levels) = unrestricted; a name this gateway
     * does not know (a newer catalog) = view (RouteTable).
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record SubscriptionDoc(String id, String serviceCode, String version, String consumerSystem,
            String consumerAgency, String environment, String status, Integer requestsPerSecond, Integer burst,
            Long dailyQuota, LocalDate periodStart, LocalDate periodEnd, String accessLevel) {
    }

    /**
     * An announced maintenance window (REQUIREMENTS M8). serviceCodes empty: every service; environment null: both;
     * impact {@code unavailable} or {@code degraded}; startsAt inclusive, endsAt exclusive; cancelled: withdrawn.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record MaintenanceDoc(String id, String title, List<String> serviceCodes, String environment, String impact,
            Instant startsAt, Instant endsAt, Boolean cancelled) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record HmacKeys(long revision, List<HmacKeyDoc> keys) {
    }

    /** The secret is only ever held in memory; this record's toString is never logged. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record HmacKeyDoc(String accessKey, String secretKey, String systemCode, String agencyCode,
            String environment, Instant expiresAt, String previousSecretKey, Instant previousValidUntil) {

        @Override
        public String toString() {
            return "HmacKeyDoc[accessKey=" + accessKey + ", systemCode=" + systemCode + "]";
        }
    }
}
