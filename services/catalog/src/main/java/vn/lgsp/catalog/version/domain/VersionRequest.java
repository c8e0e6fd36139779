package vn.lgsp.catalog.version.domain;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import vn.lgsp.common.access.AccessRule;
import vn.lgsp.common.id.Codes;

/** A new major version of a service. Omitted settings take the documented defaults. */
public record VersionRequest(
        @NotBlank @Pattern(regexp = Codes.VERSION, message = Codes.VERSION_MESSAGE) String version,
        @Valid Upstreams upstreams,
        @Valid UpstreamAuth upstreamAuth,
        @Min(1) @Max(30000) Integer timeoutMs,
        BodyFormat requestFormat,
        BodyFormat responseFormat,
        Boolean convert,
        @Min(1) @Max(MAX_REQUEST_BYTES) Long maxRequestBytes,
        @Min(1) @Max(MAX_CONNECTIONS) Integer maxConnections,
        /** bodiless GET/HEAD/OPTIONS requests routing may send ahead on one upstream connection (RFC 9112 pipelining); 1 = none */
        @Min(1) @Max(MAX_PIPELINING) Integer pipelining,
        @Valid RateLimit rateLimit,
        /** REQUIREMENTS A3: first match wins; an operation no rule names needs its method's default level */
        List<AccessRule> accessRules,
        JsonNode openapi) {

    public static final int DEFAULT_TIMEOUT_MS = 10_000;
    public static final long DEFAULT_MAX_REQUEST_BYTES = 1024L * 1024;
    public static final long MAX_REQUEST_BYTES = 50L * 1024 * 1024;
    /** Connections the whole gateway (all replicas) may hold to the upstream at once; routing splits it. */
    public static final int DEFAULT_MAX_CONNECTIONS = 64;
    public static final int MAX_CONNECTIONS = 10_000;
    public static final int DEFAULT_PIPELINING = 1;
    public static final int MAX_PIPELINING = 16;
}
