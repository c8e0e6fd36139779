package vn.lgsp.auth.sso.service;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;
import vn.lgsp.auth.account.domain.Account;
import vn.lgsp.auth.account.repository.AccountRepository;
import vn.lgsp.auth.account.service.AccountService;
import vn.lgsp.auth.oauth.api.FormRequest;
import vn.lgsp.auth.oauth.api.OAuthException;
import vn.lgsp.auth.security.AuthGuard;
import vn.lgsp.auth.sso.repository.IdentityRepository;
import vn.lgsp.auth.sso.service.IdentityProviders.Refused;
import vn.lgsp.auth.sso.service.IdentityProviders.VerifiedIdentity;

/**
 * Single sign-on for the people who administer the platform (REQUIREMENTS A7), as an OAuth 2.0 Token Exchange
 * (RFC 8693) at the token endpoint: an ID token from a trusted OpenID Connect provider, naming a person an operator
 * linked to an active account, is exchanged once for that account's admin token. The provider proves who the
 * person is; the role and agency are the account's, never the provider's claims. Sign-in pages, passwords and
 * second factors stay the provider's: the platform never sees them.
 */
@ApplicationScoped
public class TokenExchange {

    public static final String GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange";
    static final String ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
    static final String JWT_TYPE = "urn:ietf:params:oauth:token-type:jwt";
    static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

    private static final Logger LOG = Logger.getLogger(TokenExchange.class);

    @Inject
    IdentityProviders providers;

    @Inject
    IdentityRepository identities;

    @Inject
    AccountRepository accounts;

    @Inject
    AccountService accountService;

    @Inject
    AuthGuard guard;


    public Uni<Map<String, Object>> exchange(FormRequest form, String address, String path) {
        if (providers.issuers().isEmpty()) {
            throw new OAuthException(400, "unsupported_grant_type", "No identity provider is configured for single sign-on");
        }
        FormRequest.ClientCredentials client = form.client();
        if (client != null && client.secret() != null) {
            throw OAuthException.invalidRequest("Token exchange takes no client secret: the ID token is the proof");
        }
        String subjectToken = form.required("subject_token");
        String subjectTokenType = form.required("subject_token_type");
        if (!ID_TOKEN_TYPE.equals(subjectTokenType) && !JWT_TYPE.equals(subjectTokenType)) {
            throw OAuthException.invalidRequest("subject_token_type must be " + ID_TOKEN_TYPE + " (or " + JWT_TYPE + ")");
        }
        String requested = form.single("requested_token_type");
        if (requested != null && !ACCESS_TOKEN_TYPE.equals(requested)) {
            throw OAuthException.invalidRequest("requested_token_type can only be " + ACCESS_TOKEN_TYPE);
        }
        if (form.single("actor_token") != null || form.single("actor_token_type") != null) {
            throw OAuthException.invalidRequest("Delegation (actor_token) is not supported");
        }
        if (form.single("scope") != null) {
            throw new OAuthException(400, "invalid_scope", "Admin tokens carry no scope: the account's role decides");
        }
        if (form.single("resource") != null || form.single("audience") != null) {
            // §2.2.2: the platform's admin token is valid at every service, so no narrower target can be asked for.
            throw new OAuthException(400, "invalid_target", "The admin token is for the whole platform; omit resource and audience");
        }
        if (subjectToken.length() > 16384) {
            return refuse(null, "subject_token is longer than 16384 characters", address, path);
        }
        return guard.addressRetryAfter(address).chain(wait -> {
            if (wait > 0) {
                return Uni.createFrom().failure(OAuthException.throttled(wait));
            }
            return Uni.createFrom().item(() -> providers.verify(subjectToken))
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()).onFailure(Refused.class).recoverWithUni(f -> {
                Refused r = (Refused) f;
                if (r.providerUnavailable()) {
                    LOG.warnf("Single sign-on refused: %s", r.getMessage());
                    return Uni.createFrom().failure(new OAuthException(503, "temporarily_unavailable",
                            "The identity provider cannot be reached; try again shortly", Map.of("Retry-After", "30")));
                }
                return refuse(null, r.getMessage(), address, path);
            }).chain(identity -> signIn(identity, address, path));
        });
    }

    private Uni<Map<String, Object>> signIn(VerifiedIdentity id, String address, String path) {
        String who = id.provider() + ":" + id.subject();
        return identities.firstExchange(id.tokenHash(), id.expiresAt()).chain(first -> {
            if (!first) {
                return refuse(who, "this ID token was already exchanged; sign in again at the identity provider", address, path);
            }
            return identities.use(id.provider(), id.subject()).chain(username -> username == null
                    ? refuse(who, "no platform account is linked to this identity; ask an operator to link it", address, path)
                    : accounts.find(username).chain(account -> {
                        if (account == null || !Account.ACTIVE.equals(account.status())) {
                            return refuse(who, "the account linked to this identity is disabled", address, path);
                        }
                        return accountService.issueFor(account)
                                // Still linked once signed: an unlink meanwhile (which revokes up to its second, and
                                // this token may have been issued after it) must not leave a token behind.
                                .call(issued -> identities.linked(id.provider(), id.subject(), username).chain(still -> still
                                        ? Uni.createFrom().voidItem()
                                        : refuse(who, "the identity was unlinked meanwhile", address, path)))
                                .map(issued -> {
                                    accountService.recordLogin(account, Map.of("method", "single-sign-on",
                                            "provider", id.provider()));
                                    Map<String, Object> body = new LinkedHashMap<>();
                                    body.put("access_token", issued.token());
                                    body.put("issued_token_type", ACCESS_TOKEN_TYPE);
                                    body.put("token_type", "Bearer");
                                    body.put("expires_in", issued.expiresIn());
                                    return body;
                                });
                    }));
        });
    }

    /** invalid_grant (RFC 6749 §5.2), audited as an authentication failure and counted against the address. */
    private <T> Uni<T> refuse(String who, String reason, String address, String path) {
        guard.audit(who, null, null, path, 400, "invalid_grant", "single sign-on: " + reason, address);
        return guard.addressFailed(address)
                .chain(() -> Uni.createFrom().failure(new OAuthException(400, "invalid_grant", reason)));
    }
}
