package vn.lgsp.common.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.spi.runtime.AuthenticationFailureEvent;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import vn.lgsp.common.audit.AuditEvent;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.text.Texts;
import vn.lgsp.common.web.RequestIds;

/**
 * Every credential a service's own API refuses — an invalid, expired or revoked bearer token, a refused RFC 9421
 * signature — becomes an {@code auth_failure} audit record (REQUIREMENTS M1–M2: every access logged, with abnormal
 * events and violations; P6: incidents detected), as auth's token endpoint records refused client secrets and
 * passwords and the gateway's data plane records its 401s. audit's {@code auth-failures} alert rules count them per
 * claimed identity, so guessing at one credential is seen wherever it is tried.
 * <p>
 * A request without credentials is not a failure (it is challenged); only a credential that was presented and
 * refused is. The identity it claimed is recorded as claimed — read from the token's payload or the signature's
 * {@code keyid} without trusting either (the detail says so) — so a forged token names whom it pretended to be; the
 * token, signature and any secret never are. Called on the event loop: builds one record and hands it over.
 */
@ApplicationScoped
public class AuthenticationFailures {

    /** errorType of a bearer token that is malformed, badly signed, from another issuer or expired. */
    public static final String INVALID_TOKEN = "invalid-token";
    /** errorType of a bearer token revoked since it was issued. */
    public static final String TOKEN_REVOKED = "token-revoked";
    /** errorType of an RFC 9421 signed request that was refused. */
    public static final String SIGNATURE_REFUSED = "signature-refused";

    private static final Pattern KEY_ID = Pattern.compile(";\\s*keyid=\"([^\"]{1,256})\"");
    /** Only the payload of a plausible JWT is read: three base64url parts, bounded. */
    private static final Pattern JWT = Pattern.compile("[A-Za-z0-9_-]{1,4096}\\.([A-Za-z0-9_-]{1,8192})\\.[A-Za-z0-9_-]{0,4096}");

    @ConfigProperty(name = "quarkus.application.name")
    String source;

    @Inject
    AuthFailureSink sink;

    @Inject
    ObjectMapper mapper;

    void failed(@Observes AuthenticationFailureEvent event) {
        if (event.getEventProperties().get(RoutingContext.class.getName()) instanceof RoutingContext context) {
            try {
                record(context, event.getAuthenticationFailure());
            } catch (RuntimeException e) {
                // fired inside the authentication chain: a record that cannot be made must not turn a 401 into a 500
                org.jboss.logging.Logger.getLogger(AuthenticationFailures.class)
                        .warnf("Authentication failure not recorded: %s", e.getClass().getSimpleName());
            }
        }
    }

    /** For a credential refused after authentication (a signed request whose body its digest does not vouch for). */
    public void record(RoutingContext context, Throwable failure) {
        record(context, failure, context.response().headers().get(RequestIds.HEADER));
    }

    /**
     * For a credential refused outside Quarkus' security (routing's data plane), whose request id is not on the
     * response yet. A {@link TokenRevokedException} as {@code failure} records a revoked bearer token; a
     * {@link ProblemException} in it gives its detail as the reason.
     */
    public void record(RoutingContext context, Throwable failure, String requestId) {
        sink.record(describe(context, failure, Instant.now(), requestId));
    }

    /** The record of one refused credential: who it claimed to be, why it was refused, where it came from. */
    AuditEvent describe(RoutingContext context, Throwable failure, Instant now, String requestId) {
        HttpServerRequest request = context.request();
        String authorization = request.getHeader("Authorization");
        String errorType;
        String claimed;
        String reason;
        ProblemException problem = problemIn(failure);
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
        // as the gateway decides: a bearer token takes precedence, any other Authorization leaves the signature judged
        if (!bearer && (request.headers().contains("Signature-Input") || request.headers().contains("Signature"))) {
            errorType = SIGNATURE_REFUSED;
            claimed = keyId(request.getHeader("Signature-Input"));
            reason = "signature refused: " + (problem == null ? "the signature could not be checked" : problem.detail());
        } else {
            JsonNode claims = claims(authorization);
            claimed = claims == null ? null : text(claims.hasNonNull("client_id") ? claims.get("client_id") : claims.get("sub"));
            if (TokenRevokedException.isCauseOf(failure)) {
                errorType = TOKEN_REVOKED;
                reason = "bearer token revoked";
            } else {
                errorType = INVALID_TOKEN;
                JsonNode exp = claims == null ? null : claims.get("exp");
                reason = exp != null && exp.canConvertToLong() && exp.asLong() < now.getEpochSecond()
                        && exp.asLong() > 0
                        ? "bearer token expired at " + Instant.ofEpochSecond(exp.asLong())
                        : !bearer ? "credentials not accepted"
                                : problem != null ? "bearer token refused: " + problem.detail()
                                : "bearer token not valid (malformed, signature, issuer or claims)";
            }
        }
        SocketAddress peer = request.remoteAddress();
        String detail = reason + (claimed == null ? "" : "; the identity is as claimed, not verified")
                + (peer == null ? "" : " (from " + peer.hostAddress() + ")");
        return new AuditEvent(UUID.randomUUID(), AuditEvent.AUTH_FAILURE, now.truncatedTo(ChronoUnit.MICROS), source,
                requestId == null || requestId.length() > 64 ? null : requestId, null, null, null, null, null, null, null,
                null, request.method().name(), Texts.clip(Texts.printable(request.path()), 512), 401, null, null, null, null,
                null, null, Texts.clip(Texts.printable(claimed), 128), errorType, null, null, null, null, null, null, null,
                Texts.clip(Texts.printable(detail), 1024));
    }

    private static ProblemException problemIn(Throwable failure) {
        for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ProblemException pe) {
                return pe;
            }
        }
        return null;
    }

    /** The unverified payload of a bearer JWT, or null when it is not one. */
    private JsonNode claims(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        Matcher m = JWT.matcher(authorization.substring(7).strip());
        if (!m.matches()) {
            return null;
        }
        try {
            JsonNode payload = mapper.readTree(Base64.getUrlDecoder().decode(m.group(1)));
            return payload != null && payload.isObject() ? payload : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String keyId(String signatureInput) {
        if (signatureInput == null) {
            return null;
        }
        Matcher m = KEY_ID.matcher(signatureInput);
        return m.find() ? m.group(1) : null;
    }

    private static String text(JsonNode node) {
        return node == null || !node.isValueNode() ? null : node.asText();
    }
}
