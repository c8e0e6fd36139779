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
import vn.lgsp.auth.revocation.repository.RevocationRepository;
import vn.lgsp.auth.security.AuthGuard;
import vn.lgsp.common.audit.AdminAudit;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;
import vn.lgsp.common.security.RevocationPoller;
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

    @Inject
    RevocationPoller revocations;

    @Inject
    RevocationRepository revocationRepository;

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
            if (account == null || account.passwordHash() == null) {
                // Same work whether the account is unknown, single-sign-on only, or has a password: timing tells nothing.
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
            return guard.loginSucceeded(username).chain(() -> issueFor(account))
                    .invoke(() -> recordLogin(account, Map.of("method", "password")));
        });
    }

    /**
     * The admin token of an account that just proved who it is (password or single sign-on): the sign-in noted,
     * issued after the second of any revocation of its tokens.
     */
    public Uni<IssuedToken> issueFor(Account account) {
        return repository.touchLogin(account.username()).chain(() -> afterRevocationSecond(account))
                .chain(() -> signer.admin(account.username(), account.role(), account.agencyCode()));
    }

    /** Every sign-in is in the audit log, as failed ones are (REQUIREMENTS M1), with how it was made. */
    public void recordLogin(Account account, Map<String, Object> how) {
        audit.record(account.username(), "login", "account", account.username(), account.agencyCode(), null, how);
    }

    /**
     * Waits, if need be, until the second of the account's last token revocation has passed: the feed revokes its
     * tokens by {@code iat} (whole seconds) at or before that second, so a token issued within it would be refused
     * too. At most a second, and only right after a disable/enable or a password change.
     */
    private static Uni<Void> afterRevocationSecond(Account account) {
        if (account.tokensValidAfter() == null) {
            return Uni.createFrom().voidItem();
        }
        long wait = (account.tokensValidAfter().getEpochSecond() + 1) * 1000 - System.currentTimeMillis();
        return wait <= 0 ? Uni.createFrom().voidItem()
                : Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(Math.min(wait, 2000)));
    }

    /**
     * An admin changes its own password, proving the current one: a stolen token alone cannot take the account
     * over. Wrong guesses count as failed logins (same throttle, 429 when exceeded). Every token the account holds
     * is revoked, the one used for this call included.
     */
    public Uni<Account> changeOwnPassword(String username, String current, String next, String address, String path) {
        return guard.loginRetryAfter(username, address).chain(wait -> {
            if (wait > 0) {
                return Uni.createFrom().failure(new ProblemException(ProblemType.RATE_LIMITED, "Too many failed password checks; "
                        + "retry after " + wait + " s", java.util.List.of(), Map.of("Retry-After", Long.toString(wait))));
            }
            return repository.find(username).emitOn(Infrastructure.getDefaultWorkerPool()).chain(account -> {
                if (account == null || !Account.ACTIVE.equals(account.status())) {
                    // the token verified, so the account existed; it was disabled or removed since
                    return Uni.createFrom().failure(new ProblemException(ProblemType.UNAUTHENTICATED, "The account is disabled"));
                }
                if (!passwords.verify(current, account.passwordHash())) {
                    guard.audit(username, null, null, path, 400, "validation-failed", "password change: wrong current password", address);
                    return guard.loginFailed(username, address).chain(() -> Uni.createFrom().<Account>failure(
                            ProblemException.field("currentPassword", "matches", "is not this account's current password")));
                }
                if (passwords.verify(next, account.passwordHash())) {
                    return Uni.createFrom().failure(ProblemException.field("newPassword", "different",
                            "must differ from the current password"));
                }
                return guard.loginSucceeded(username).chain(() -> setPassword(username, next));
            });
        });
    }

    /** A new password for an account, set by an operator (a forgotten password); its tokens are revoked. */
    public Uni<Account> setPassword(String username, String password) {
        return Uni.createFrom().item(() -> passwords.hash(password)).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(hash -> repository.setPassword(username, hash)).map(a -> {
                    if (a == null) {
                        throw ProblemException.notFound("Account " + username);
                    }
                    return a;
                }).call(a -> Uni.createFrom().completionStage(revocations.refresh()));
    }

    public Uni<Account> create(String username, String password, String role, String agencyCode) {
        if (Roles.AGENCY_ADMIN.equals(role) && agencyCode == null) {
            throw ProblemException.field("agencyCode", "required", "an agency admin needs agencyCode");
        }
        if (!Roles.AGENCY_ADMIN.equals(role) && agencyCode != null) {
            throw ProblemException.field("agencyCode", "absent", "only agency admins belong to an agency");
        }
        // No password: single sign-on only (nothing to hash; a password login can never match a missing hash).
        return Uni.createFrom().item(() -> password == null ? null : passwords.hash(password))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(hash -> repository.insert(username, hash, role, agencyCode)).map(a -> {
                    if (a == null) {
                        throw ProblemException.duplicate("username", "Account '" + username + "' already exists");
                    }
                    return a;
                });
    }

    /** Disabling revokes the account's tokens; this replica enforces that before answering, the others within a poll. */
    public Uni<Account> setStatus(String username, String status) {
        return repository.setStatus(username, status).map(a -> {
            if (a == null) {
                throw ProblemException.notFound("Account " + username);
            }
            return a;
        }).call(a -> Account.DISABLED.equals(status) ? Uni.createFrom().completionStage(revocations.refresh())
                : Uni.createFrom().voidItem());
    }

    /** Logout: the token presented is revoked (RFC 7009 semantics) until it would have expired. */
    public Uni<Void> logout(String jti, String username, long expiresAt) {
        if (jti == null) {
            return Uni.createFrom().voidItem();
        }
        return revocationRepository.revokeToken(jti, null, username, java.time.Instant.ofEpochSecond(expiresAt))
                .chain(() -> Uni.createFrom().completionStage(revocations.refresh()));
    }
}
