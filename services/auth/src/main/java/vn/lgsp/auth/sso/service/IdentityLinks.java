package vn.lgsp.auth.sso.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import vn.lgsp.auth.account.domain.Account;
import vn.lgsp.auth.account.repository.AccountRepository;
import vn.lgsp.auth.sso.repository.IdentityRepository;
import vn.lgsp.auth.sso.repository.IdentityRepository.Link;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.security.RevocationPoller;

/**
 * Which person at which identity provider signs in as which account: set by operators only (least privilege: a
 * link is a way into an account). Moving or removing a link ends the account's sessions, as a password change does,
 * so whoever signed in through the old identity is out within seconds.
 */
@ApplicationScoped
public class IdentityLinks {

    /** What changed: the link after, and the subject it replaced (null when there was none). */
    public record Linked(Link link, String previousSubject, Account account) {
    }

    @Inject
    IdentityProviders providers;

    @Inject
    IdentityRepository identities;

    @Inject
    AccountRepository accounts;

    @Inject
    RevocationPoller revocations;

    public Uni<List<Link>> of(String username) {
        return account(username).chain(a -> identities.of(username));
    }

    public Uni<Linked> link(String username, String provider, String subject, String actor) {
        configured(provider);
        return account(username).chain(account -> identities.link(username, provider, subject, actor).chain(change -> {
            if (change == null) {
                return Uni.createFrom().failure(ProblemException.duplicate("subject",
                        "This person at " + provider + " is already linked to another account"));
            }
            String previous = change.previousSubject();
            // The sessions were ended in the link's transaction; other services learn of it now rather than at their
            // next poll.
            Uni<Void> told = previous != null && !previous.equals(subject) ? refreshRevocations()
                    : Uni.createFrom().voidItem();
            return told.map(v -> new Linked(change.link(), previous, account));
        }));
    }

    /** The removed link's subject; 404 when the account has none at that provider. */
    public Uni<Linked> unlink(String username, String provider) {
        return account(username).chain(account -> identities.unlink(username, provider).chain(subject -> {
            if (subject == null) {
                return Uni.createFrom().failure(ProblemException.notFound("A link of account " + username + " to " + provider));
            }
            return refreshRevocations().map(v -> new Linked(null, subject, account));
        }));
    }

    private Uni<Void> refreshRevocations() {
        return Uni.createFrom().completionStage(revocations.refresh()).replaceWithVoid();
    }

    private Uni<Account> account(String username) {
        return accounts.find(username).map(a -> {
            if (a == null) {
                throw ProblemException.notFound("Account " + username);
            }
            return a;
        });
    }

    private void configured(String provider) {
        if (!providers.isConfigured(provider)) {
            throw ProblemException.field("provider", "configured", "must be one of the configured identity providers "
                    + providers.issuers().keySet());
        }
    }
}
