package vn.lgsp.auth.account.service;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import org.jboss.logging.Logger;
import vn.lgsp.auth.account.domain.Account;
import vn.lgsp.auth.account.repository.AccountRepository;
import vn.lgsp.auth.config.AuthConfig;
import vn.lgsp.auth.crypto.Passwords;
import vn.lgsp.auth.oauth.service.TokenSigner;
import vn.lgsp.auth.oauth.service.TokenSigner.IssuedToken;
import vn.lgsp.auth.security.AuthGuard;
import vn.lgsp.common.audit.AdminAudit;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;
import vn.lgsp.common.security.Roles;

/**
 * Admin identities and their login. Kept small and behind one login call so an external OIDC provider can take
 * over later: the admin APIs only ever look at the role in the token, not at where it came from.
 */
@ApplicationScoped
public class AccountService {

    private static final Logger LOG = Logger.getLogger(AccountService.class);
    public static final int MIN_PASSWORD = 12;

    @Inject
    AccountRepository repository;

    @Inject
    Passwords passwords;

    @Inject
    TokenSigner signer;

    @Inject
    AuthGuard guard;

    @Inject
    AuthConfig config;

    @Inject
    AdminAudit audit;

    /**
     * The first operator, from configuration (a Kubernetes Secret in production); never overwrites an existing account.
     * Runs after the audit publisher has started (priority 5000), so the creation is audited.
     */
    void bootstrap(@Observes @Priority(5000) StartupEvent ev) {
        String username = config.bootstrap().operatorUsername();
        String password = config.bootstrap().operatorPassword().orElse(null);
        if (password == null || password.isBlank()) {
            return;
        }
        if (password.length() < MIN_PASSWORD) {
            throw new IllegalStateException("lgsp.auth.bootstrap.operator-password must be at least " + MIN_PASSWORD + " characters");
        }
        Duration wait = Duration.ofSeconds(60);
        if (repository.find(username).await().atMost(wait) != null) {
            return;
        }
        // Hashed here, on the start-up thread: PBKDF2 must not run on an event loop.
        Account created = repository.insert(username, passwords.hash(password), Roles.OPERATOR, null).await().atMost(wait);
        if (created != null) {
            LOG.infof("Created the bootstrap operator account '%s'", username);
            audit.record("auth", "create", "account", username, null, null, Map.of("role", Roles.OPERATOR, "bootstrap", true));
        }
    }

    public Uni<IssuedToken> login(String username, String password, String address, String path) {
        return guard.loginRetryAfter(username, address).chain(wait -> {
            if (wait > 0) {
                guard.audit(username, null, null, path, 429, "rate-limited", "login throttled after repeated failures", address);
                return Uni.createFrom().failure(new ProblemException(ProblemType.RATE_LIMITED, "Too many failed logins; retry after "
                        + wait + " s", java.util.List.of(), Map.of("Retry-After", Long.toString(wait))));
            }
            return verify(username, password, address, path);
        });
    }

    private Uni<IssuedToken> verify(String username, String password, String address, String path) {
        return repository.find(username).emitOn(Infrastructure.getDefaultWorkerPool()).chain(account -> {
            boolean ok;
            if (account == null) {
                passwords.burn(password);
                ok = false;
            } else {
                ok = passwords.verify(password, account.passwordHash()) && Account.ACTIVE.equals(account.status());
            }
            if (!ok) {
                guard.audit(username, null, null, path, 401, "unauthenticated",
                        account == null ? "login: unknown user" : Account.ACTIVE.equals(account.status())
                                ? "login: wrong password" : "login: account disabled", address);
                // counted before answering, so the next guess, on any replica, already sees it
                return guard.loginFailed(username, address).chain(() -> Uni.createFrom().<IssuedToken>failure(
                        new ProblemException(ProblemType.UNAUTHENTICATED, "Wrong username or password, or the account is disabled")));
            }
            return guard.loginSucceeded(username).chain(() -> repository.touchLogin(username))
                    .chain(() -> signer.admin(account.username(), account.role(), account.agencyCode()));
        });
    }

    public Uni<Account> create(String username, String password, String role, String agencyCode) {
        if (Roles.AGENCY_ADMIN.equals(role) && agencyCode == null) {
            throw ProblemException.field("agencyCode", "required", "an agency admin needs agencyCode");
        }
        if (!Roles.AGENCY_ADMIN.equals(role) && agencyCode != null) {
            throw ProblemException.field("agencyCode", "absent", "only agency admins belong to an agency");
        }
        return Uni.createFrom().item(() -> passwords.hash(password)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(hash -> repository.insert(username, hash, role, agencyCode)).map(a -> {
                    if (a == null) {
                        throw ProblemException.duplicate("username", "Account '" + username + "' already exists");
                    }
                    return a;
                });
    }

    public Uni<Account> setStatus(String username, String status) {
        return repository.setStatus(username, status).map(a -> {
            if (a == null) {
                throw ProblemException.notFound("Account " + username);
            }
            return a;
        });
    }
}
