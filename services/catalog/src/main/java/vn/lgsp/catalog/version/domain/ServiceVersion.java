package vn.lgsp.catalog.version.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import vn.lgsp.common.access.AccessRule;

/** One major version of a data service as stored and shown. {@code rowVersion} is the ETag. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServiceVersion(
        String serviceCode,
        String version,
        VersionStatus status,
        Upstreams upstreams,
        UpstreamAuth upstreamAuth,
        int timeoutMs,
        BodyFormat requestFormat,
        BodyFormat responseFormat,
        boolean convert,
        long maxRequestBytes,
        int maxConnections,
        int pipelining,
        RateLimit rateLimit,
        /** which operations require which access level (REQUIREMENTS A3); never null, maybe empty */
        List<AccessRule> accessRules,
        JsonNode openapi,
        Instant createdAt,
        Instant updatedAt,
        Instant publishedAt,
        Instant deprecatedAt,
        Instant sunsetAt,
        Instant retirementNoticeAt,
        Instant retireAt,
        Instant retiredAt,
        @JsonIgnore int rowVersion) {

    public int major() {
        return Integer.parseInt(version.substring(1));
    }

    public String etag() {
        return vn.lgsp.common.web.Etags.of(rowVersion);
    }

    public ServiceVersion withoutDocument() {
        return new ServiceVersion(serviceCode, version, status, upstreams, upstreamAuth, timeoutMs, requestFormat,
                responseFormat, convert, maxRequestBytes, maxConnections, pipelining, rateLimit, accessRules, null, createdAt, updatedAt, publishedAt, deprecatedAt,
                sunsetAt, retirementNoticeAt, retireAt, retiredAt, rowVersion);
    }
}
