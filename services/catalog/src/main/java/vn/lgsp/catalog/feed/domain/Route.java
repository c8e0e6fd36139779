package vn.lgsp.catalog.feed.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import vn.lgsp.common.access.AccessRule;

/**
 * One service version as routing sees it (docs/internal-apis.md, "The catalog snapshot"). The fields after
 * {@code retiredAt} extend the documented shape with what routing's transform and proxy steps need; the
 * upstream authentication carries secret names only, never secret values.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Route(
        String serviceCode,
        String version,
        String status,
        String providerSystem,
        String providerAgency,
        Upstreams upstreams,
        int timeoutMs,
        long maxRequestBytes,
        int maxConnections,
        /** bodiless GET/HEAD/OPTIONS requests sent ahead on one upstream connection (HTTP/1.1 pipelining); 1 = none */
        int pipelining,
        Instant deprecatedAt,
        Instant sunsetAt,
        Instant retiredAt,
        Instant publishedAt,
        Instant retireAt,
        String requestFormat,
        String responseFormat,
        boolean convert,
        JsonNode upstreamAuth,
        /** REQUIREMENTS A3: which operations require which access level (libs AccessRules); maybe empty */
        List<AccessRule> accessRules) {

    public String key() {
        return serviceCode + ":" + version;
    }

    public record Upstreams(String test, String production) {
    }
}
