package vn.lgsp.common.problem;

/**
 * The stable problem types of the platform. Clients switch on {@link #uri()}, never on the title.
 * A URN keeps the identifier stable without promising a web page behind it.
 */
public enum ProblemType {
    VALIDATION(400, "validation-failed", "Request validation failed"),
    MALFORMED_BODY(400, "malformed-body", "The request body could not be read"),
    UNAUTHENTICATED(401, "unauthenticated", "Authentication required"),
    FORBIDDEN(403, "forbidden", "Not allowed"),
    NOT_SUBSCRIBED(403, "not-subscribed", "No active subscription"),
    /** The subscription is active, but its access level (REQUIREMENTS A3) is below what the operation requires. */
    ACCESS_LEVEL(403, "access-level", "The subscription's access level does not allow this operation"),
    NOT_FOUND(404, "not-found", "Not found"),
    SERVICE_NOT_FOUND(404, "service-not-found", "No such service version"),
    METHOD_NOT_ALLOWED(405, "method-not-allowed", "Method not allowed"),
    NOT_ACCEPTABLE(406, "not-acceptable", "Not acceptable"),
    CONFLICT(409, "conflict", "Conflict"),
    DUPLICATE(409, "duplicate", "Already exists"),
    ILLEGAL_TRANSITION(409, "illegal-transition", "Transition not allowed from the current state"),
    GONE(410, "gone", "Gone"),
    PRECONDITION_FAILED(412, "precondition-failed", "The resource changed since you read it"),
    PAYLOAD_TOO_LARGE(413, "payload-too-large", "Request body too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "unsupported-media-type", "Unsupported media type"),
    UNPROCESSABLE(422, "unprocessable", "The request cannot be carried out"),
    PRECONDITION_REQUIRED(428, "precondition-required", "If-Match required"),
    RATE_LIMITED(429, "rate-limited", "Too many requests"),
    INTERNAL(500, "internal-error", "Internal error"),
    BAD_GATEWAY(502, "bad-gateway", "The provider could not be reached"),
    /** The gateway could not obtain the credentials the provider requires (its secret or its token endpoint). */
    UPSTREAM_AUTH_FAILED(502, "upstream-auth-failed", "The gateway could not authenticate to the provider"),
    UNAVAILABLE(503, "unavailable", "Service unavailable"),
    /** The gateway refuses rather than serve a call it could not log (REQUIREMENTS M2). */
    AUDIT_UNAVAILABLE(503, "audit-unavailable", "The call cannot be recorded in the audit log"),
    /** An announced maintenance window (REQUIREMENTS M8) makes the service, or the platform, unavailable until it ends. */
    MAINTENANCE(503, "maintenance", "Under announced maintenance"),
    /** The provider failed repeatedly; its circuit is open and calls are paused for a short while. */
    PROVIDER_CIRCUIT_OPEN(503, "provider-circuit-open", "The provider is failing; calls are paused"),
    GATEWAY_TIMEOUT(504, "gateway-timeout", "The provider did not answer in time");

    public static final String URN_PREFIX = "urn:lgsp:problem:";

    private final int status;
    private final String slug;
    private final String title;

    ProblemType(int status, String slug, String title) {
        this.status = status;
        this.slug = slug;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String uri() {
        return URN_PREFIX + slug;
    }

    /** The last part of the URI, e.g. {@code access-level}: what audit records carry as their errorType. */
    public String slug() {
        return slug;
    }

    public String title() {
        return title;
    }
}
