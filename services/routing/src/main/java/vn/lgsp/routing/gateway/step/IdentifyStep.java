package vn.lgsp.routing.gateway.step;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;
import vn.lgsp.common.security.AuthenticationFailures;
import vn.lgsp.common.security.TokenRevokedException;
import vn.lgsp.routing.gateway.AuditGate;
import vn.lgsp.routing.gateway.GatewayExchange;
import vn.lgsp.routing.gateway.Step;
import vn.lgsp.routing.identity.HmacSignatureVerifier;
import vn.lgsp.routing.identity.RequestSignatureVerifier;
import vn.lgsp.routing.identity.SystemIdentity;
import vn.lgsp.routing.identity.TokenVerifier;

/** 1. Identify: who is calling — a verified system token or RFC 9421 signature, not revoked — else 401. */
@Singleton
public class IdentifyStep implements Step {

    private static final String BEARER = TokenVerifier.BEARER;

    private static final Logger LOG = Logger.getLogger(IdentifyStep.class);

    @Inject
    TokenVerifier tokens;

    @Inject
    AuthenticationFailures failures;

    @Inject
    AuditGate auditGate;

    @Inject
    RequestSignatureVerifier signatures;

    @Override
    public Future<Void> apply(GatewayExchange exchange) {
        HttpServerRequest request = exchange.request();
        String authorization = request.getHeader("Authorization");
        Future<SystemIdentity> identity;
        boolean signed = false;
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            if (blankFrom(authorization, BEARER.length())) {
                return Future.failedFuture(missing());
            }
            identity = tokens.verifyBearer(authorization);
        } else if (signatures.applies(request)) {
            // RFC 9421 signed request (only when no bearer token is presented: the token would take precedence).
            identity = signatures.verify(exchange);
            signed = true;
        } else {
            return Future.failedFuture(missing());
        }
        if (identity.isComplete()) {
            return identity.succeeded() ? accept(exchange, identity.result(), signed) : refused(exchange, identity.cause(), null);
        }
        boolean bySignature = signed;
        return identity.transform(ar -> ar.succeeded() ? accept(exchange, ar.result(), bySignature)
                : refused(exchange, ar.cause(), null));
    }

    private Future<Void> accept(GatewayExchange exchange, SystemIdentity id, boolean signed) {
        // Revocation is checked on every call against the current snapshot, cached token or not.
        if (exchange.snapshot().revoked(id.clientId(), id.tokenId())) {
            ProblemException problem = signed ? HmacSignatureVerifier.revokedKey()
                    : new ProblemException(ProblemType.UNAUTHENTICATED, "The credential behind this token has been revoked",
                            List.of(), Map.of("WWW-Authenticate", "Bearer error=\"invalid_token\""));
            return refused(exchange, problem, signed ? null : new TokenRevokedException());
        }
        exchange.caller(id);
        return Step.proceed();
    }

    /**
     * A presented credential was refused: besides the call's transaction record, an auth_failure record naming the
     * identity it claimed, as every service's API makes (libs AuthenticationFailures), so audit's auth-failures
     * alert sees guessing on the data plane too. Only 401s: a verifier that could not decide (auth's keys
     * unreachable: 503) is not the caller's failure. Only while audit's buffer has room beyond the admitted calls'
     * records: a flood of forged tokens while audit is down must not crowd out the record of a call served.
     */
    private Future<Void> refused(GatewayExchange exchange, Throwable cause, Throwable recorded) {
        if (cause instanceof ProblemException p && p.type() == ProblemType.UNAUTHENTICATED && auditGate.roomBeyondAdmitted()) {
            try {
                failures.record(exchange.context(), recorded != null ? recorded : cause, exchange.requestId());
            } catch (RuntimeException e) {
                // the 401 must go out whatever happens to its record (the transaction record still says 401)
                LOG.warnf("Authentication failure not recorded: %s", e.getClass().getSimpleName());
            }
        }
        return Future.failedFuture(cause);
    }

    /** Whether nothing but white space follows the scheme (without copying the token). */
    private static boolean blankFrom(String value, int from) {
        for (int i = from; i < value.length(); i++) {
            if (!Character.isWhitespace(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static ProblemException missing() {
        return new ProblemException(ProblemType.UNAUTHENTICATED,
                "A bearer token issued by auth to an agency system (Authorization: Bearer <JWT>) or an RFC 9421"
                        + " hmac-sha256 request signature (Signature-Input, Signature) is required",
                List.of(), Map.of("WWW-Authenticate", "Bearer, " + HmacSignatureVerifier.CHALLENGE));
    }
}
