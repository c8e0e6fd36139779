package vn.lgsp.auth.oauth.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import vn.lgsp.auth.credential.domain.Credential;
import vn.lgsp.auth.credential.repository.CredentialRepository;
import vn.lgsp.auth.oauth.api.FormRequest;
import vn.lgsp.auth.oauth.api.OAuthException;
import vn.lgsp.auth.revocation.repository.RevocationRepository;
import vn.lgsp.auth.sso.service.TokenExchange;
import vn.lgsp.common.security.Roles;

/** The three OAuth endpoints' logic: token (RFC 6749 §4.4), introspection (RFC 7662), revocation (RFC 7009). */
@ApplicationScoped
public class OAuthService {

    public static final String CLIENT_CREDENTIALS = "client_credentials";

    @Inject
    ClientAuthenticator authenticator;

    @Inject
    TokenSigner signer;

    @Inject
    TokenVerifier verifier;

    @Inject
    CatalogScopes scopes;

    @Inject
    TokenExchange exchange;

    @Inject
    RevocationRepository revocations;

    @Inject
    CredentialRepository credentials;

    @Inject
    vn.lgsp.auth.account.repository.AccountRepository accounts;

    public Uni<Map<String, Object>> token(FormRequest form, String address, String path) {
        String grantType = form.required("grant_type");
        if (TokenExchange.GRANT_TYPE.equals(grantType)) {
            return exchange.exchange(form, address, path); // single sign-on of admins (RFC 8693)
        }
        if (!CLIENT_CREDENTIALS.equals(grantType)) {
            throw new OAuthException(400, "unsupported_grant_type", "Supported grant types: client_credentials, "
                    + TokenExchange.GRANT_TYPE + " (single sign-on of admins)");
        }
        String requestedScope = form.single("scope");
        return authenticator.authenticate(form.client(), address, path).chain(client -> {
            if (client.isService()) {
                if (requestedScope != null) {
                    throw new OAuthException(400, "invalid_scope", "Platform service tokens carry no scope");
                }
                return signer.service(client.serviceName());
            }
            Credential c = client.credential();
            if (!Credential.CLIENT_SECRET.equals(c.kind())) {
                throw new OAuthException(400, "unauthorized_client",
                        "This credential signs requests (HMAC); it may not obtain tokens");
            }
            return scopes.scopeOf(c.systemCode(), c.environment()).chain(granted -> signer.system(c, narrow(granted, requestedScope)));
        }).map(issued -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("access_token", issued.token());
            body.put("token_type", "Bearer");
            body.put("expires_in", issued.expiresIn());
            if (issued.scope() != null) {
                body.put("scope", issued.scope());
            }
            return body;
        });
    }

    /** RFC 6749 §3.3: a client may ask for less than it may have, never more. */
    static String narrow(String granted, String requested) {
        if (requested == null) {
            return granted;
        }
        Set<String> allowed = new LinkedHashSet<>(Arrays.asList(granted.split(" ")));
        List<String> asked = Arrays.stream(requested.trim().split(" +")).distinct().toList();
        for (String s : asked) {
            if (!allowed.contains(s)) {
                throw new OAuthException(400, "invalid_scope", "Scope '" + s + "' is not among this system's active subscriptions");
            }
        }
        return String.join(" ", asked.stream().sorted().toList());
    }

    public Uni<Map<String, Object>> introspect(FormRequest form, String address, String path) {
        String token = form.required("token");
        return authenticator.authenticate(form.client(), address, path)
                .chain(caller -> activeClaims(token))
                .map(claims -> claims == null ? Map.<String, Object>of("active", false) : describe(claims));
    }

    public Uni<Void> revoke(FormRequest form, String address, String path) {
        String token = form.required("token");
        // token_type_hint is optional and only a hint (§2.1): every token here is an access token.
        form.single("token_type_hint");
        return authenticator.authenticate(form.client(), address, path).chain(caller -> verifier.verify(token).chain(claims -> {
            if (claims == null) {
                return Uni.createFrom().voidItem(); // §2.2: invalid or unknown tokens are answered with 200
            }
            try {
                String subject = claims.getSubject();
                if (!caller.isService() && !caller.credential().systemCode().equals(subject)) {
                    throw new OAuthException(400, "unauthorized_client", "A system may revoke only its own tokens");
                }
                Object clientId = claims.getClaimValue(Roles.CLIENT_ID_CLAIM);
                Instant exp = Instant.ofEpochSecond(claims.getExpirationTime().getValue());
                return revocations.revokeToken(claims.getJwtId(), clientId == null ? null : clientId.toString(), subject, exp)
                        .replaceWithVoid();
            } catch (MalformedClaimException e) {
                return Uni.createFrom().voidItem();
            }
        }));
    }

    /** Claims of a token that is valid now: ours, unexpired, not revoked, its credential not revoked. */
    Uni<JwtClaims> activeClaims(String token) {
        return verifier.verify(token).chain(claims -> {
            if (claims == null) {
                return Uni.createFrom().nullItem();
            }
            String jti;
            try {
                jti = claims.getJwtId();
            } catch (MalformedClaimException e) {
                return Uni.createFrom().nullItem();
            }
            return revocations.isTokenRevoked(jti).chain(revoked -> {
                if (revoked) {
                    return Uni.createFrom().nullItem();
                }
                Object clientId = claims.getClaimValue(Roles.CLIENT_ID_CLAIM);
                if (clientId == null) {
                    return adminStillValid(claims).map(valid -> valid ? claims : null);
                }
                return credentials.findByClientId(clientId.toString())
                        .map(c -> c != null && !Credential.REVOKED.equals(c.status()) ? claims : null);
            });
        });
    }

    /**
     * A token without a credential is an admin's or a platform service's: an admin's is revoked with every other
     * token of the account when it was disabled or its password changed (the feed's revokedSubjects).
     */
    private Uni<Boolean> adminStillValid(JwtClaims claims) {
        try {
            String subject = claims.getSubject();
            if (subject == null || subject.startsWith(Roles.SERVICE_SUBJECT_PREFIX) || claims.getIssuedAt() == null) {
                return Uni.createFrom().item(true);
            }
            long issuedAt = claims.getIssuedAt().getValue();
            return accounts.tokensValidAfterSecond(subject).map(upTo -> upTo == null || issuedAt > upTo);
        } catch (MalformedClaimException e) {
            return Uni.createFrom().item(false);
        }
    }

    private static Map<String, Object> describe(JwtClaims claims) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("active", true);
        copy(claims, body, "sub", "sub");
        copy(claims, body, Roles.CLIENT_ID_CLAIM, "client_id");
        copy(claims, body, "scope", "scope");
        copy(claims, body, "exp", "exp");
        copy(claims, body, "iat", "iat");
        copy(claims, body, "iss", "iss");
        body.put("token_type", "Bearer");
        copy(claims, body, Roles.AGENCY_CLAIM, "agency");
        copy(claims, body, Roles.ENVIRONMENT_CLAIM, "env");
        copy(claims, body, "groups", "groups");
        copy(claims, body, "jti", "jti");
        return body;
    }

    private static void copy(JwtClaims claims, Map<String, Object> body, String claim, String field) {
        Object v = claims.getClaimValue(claim);
        if (v != null) {
            body.put(field, v);
        }
    }
}
