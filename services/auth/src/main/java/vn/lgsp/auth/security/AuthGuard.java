package vn.lgsp.auth.security;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.UUID;
import io.smallrye.mutiny.Uni;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import vn.lgsp.auth.config.AuthConfig;
import vn.lgsp.common.audit.AuditEvent;
import vn.lgsp.common.text.Texts;
import vn.lgsp.common.audit.AuditPublisher;
import vn.lgsp.common.web.RequestIds;

/**
 * Brute-force protection and the audit trail of failed authentications, shared by the token, introspection,
 * revocation and login endpoints. Records who tried and why it failed, never what secret was presented.
 */
@ApplicationScoped
public class AuthGuard {

    private static final Logger LOG = Logger.getLogger(AuthGuard.class);

    @Inject
    AuthConfig config;

    @Inject
    AuditPublisher publisher;

    @Inject
    SharedLoginThrottle logins;

    private FailureThrottle throttle;

    @PostConstruct
    void init() {
        throttle = new FailureThrottle(config.throttle().window(), System::currentTimeMillis);
    }

    /** Seconds the caller must wait (0 = go ahead), judged by its claimed identity and its address. */
    public long retryAfter(String principalKey, String address) {
        long byPrincipal = principalKey == null ? 0
                : throttle.retryAfterSeconds("p:" + principalKey, config.throttle().maxFailuresPerClient());
        long byAddress = address == null ? 0
                : throttle.retryAfterSeconds("a:" + address, config.throttle().maxFailuresPerAddress());
        return Math.max(byPrincipal, byAddress);
    }

    public void failed(String principalKey, String address) {
        if (principalKey != null) {
            throttle.recordFailure("p:" + principalKey);
        }
        if (address != null) {
            throttle.recordFailure("a:" + address);
        }
    }

    public void succeeded(String principalKey) {
        if (principalKey != null) {
            throttle.reset("p:" + principalKey);
        }
    }

    /** As {@link #retryAfter}, for admin logins: counted across all replicas (human passwords are guessable). */
    public Uni<Long> loginRetryAfter(String username, String address) {
        Uni<Long> byUser = logins.retryAfterSeconds("p:account:" + username, config.throttle().maxFailuresPerClient());
        Uni<Long> byAddress = address == null ? Uni.createFrom().item(0L)
                : logins.retryAfterSeconds("a:" + address, config.throttle().maxFailuresPerAddress());
        return byUser.chain(u -> byAddress.map(a -> Math.max(u, a)));
    }

    public Uni<Void> loginFailed(String username, String address) {
        Uni<Void> byUser = logins.recordFailure("p:account:" + username);
        return address == null ? byUser : byUser.chain(() -> logins.recordFailure("a:" + address));
    }

    /** Seconds a source address must wait after too many failed sign-ins, counted across replicas (0 = go ahead). */
    public Uni<Long> addressRetryAfter(String address) {
        return address == null ? Uni.createFrom().item(0L)
                : logins.retryAfterSeconds("a:" + address, config.throttle().maxFailuresPerAddress());
    }

    public Uni<Void> addressFailed(String address) {
        return address == null ? Uni.createFrom().voidItem() : logins.recordFailure("a:" + address);
    }

    /** A successful login clears the username's failures on every replica (never the address's). */
    public Uni<Void> loginSucceeded(String username) {
        return logins.reset("p:account:" + username);
    }

    /** An auth_failure audit event: the claimed client id or username, the reason, the address; no secrets. */
    public void audit(String clientId, String systemCode, String environment, String path, int status, String errorType,
            String reason, String address) {
        Object requestId = MDC.get(RequestIds.MDC_KEY);
        String detail = reason + (address == null ? "" : " (from " + address + ")");
        AuditEvent event = new AuditEvent(UUID.randomUUID(), AuditEvent.AUTH_FAILURE, Instant.now(), "auth",
                cut(requestId == null ? null : requestId.toString(), 64), null, cut(systemCode, 64), null, null, null, null,
                null, cut(environment, 16), "POST", cut(path, 512), status, null, null, null, null, null, null,
                cut(clientId, 128), cut(errorType, 128), null, null, null, null, null, null, null, cut(detail, 1024));
        if (!publisher.offer(event)) {
            LOG.errorf("Audit buffer full: authentication failure of %s not queued", cut(clientId, 128));
        }
    }

    /** Claimed client ids and usernames are the caller's own text: made printable, then cut to their field. */
    private static String cut(String s, int max) {
        return Texts.clip(Texts.printable(s), max);
    }
}
