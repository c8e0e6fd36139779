package vn.lgsp.catalog.version.domain;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.util.List;
import vn.lgsp.common.access.AccessRule;

/**
 * The editable configuration of an existing version (PUT body, or the base a merge patch applies to).
 * {@code reason} is not stored on the version: it goes to the version's history and the audit record, and is
 * required when a published version's upstream URLs change.
 */
public record VersionUpdate(
        @Valid Upstreams upstreams,
        @Valid UpstreamAuth upstreamAuth,
        @Min(1) @Max(30000) Integer timeoutMs,
        BodyFormat requestFormat,
        BodyFormat responseFormat,
        Boolean convert,
        @Min(1) @Max(VersionRequest.MAX_REQUEST_BYTES) Long maxRequestBytes,
        @Min(1) @Max(VersionRequest.MAX_CONNECTIONS) Integer maxConnections,
        @Min(1) @Max(VersionRequest.MAX_PIPELINING) Integer pipelining,
        @Valid RateLimit rateLimit,
        List<AccessRule> accessRules,
        JsonNode openapi,
        @Size(max = 2000) String reason) {

    public static VersionUpdate of(ServiceVersion v) {
        return new VersionUpdate(v.upstreams(), v.upstreamAuth(), v.timeoutMs(), v.requestFormat(), v.responseFormat(),
                v.convert(), v.maxRequestBytes(), v.maxConnections(), v.pipelining(), v.rateLimit(), v.accessRules(), v.openapi(), null);
    }

    public VersionUpdate withOpenapi(JsonNode document) {
        return new VersionUpdate(upstreams, upstreamAuth, timeoutMs, requestFormat, responseFormat, convert, maxRequestBytes,
                maxConnections, pipelining, rateLimit, accessRules, document, reason);
    }

    /** The same settings as a creation request, so one validator checks both. */
    public VersionRequest asRequest(String version) {
        return new VersionRequest(version, upstreams, upstreamAuth, timeoutMs, requestFormat, responseFormat, convert,
                maxRequestBytes, maxConnections, pipelining, rateLimit, accessRules, openapi);
    }
}
