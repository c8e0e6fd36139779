package vn.lgsp.auth.oauth.service;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import vn.lgsp.auth.config.AuthConfig;
import vn.lgsp.auth.credential.domain.Credential;
import vn.lgsp.auth.credential.repository.CredentialRepository;
import vn.lgsp.auth.crypto.MasterKey;
import vn.lgsp.auth.crypto.Passwords;
import vn.lgsp.auth.oauth.api.FormRequest.ClientCredentials;
import vn.lgsp.auth.oauth.api.OAuthException;
import vn.lgsp.auth.security.AuthGuard;

/**
 * Authenticates OAuth clients: platform services against the configured secrets, agency systems against their
 * stored credentials. Throttled per client id and per address; every failure is audited. The reason of a failure
 * goes to the audit log only: the client always hears the same {@code invalid_client}.
 */
@ApplicationScoped
public class ClientAuthenticator {

    @Inject
    AuthConfig config;

    @Inject
    CredentialRepository credentials;

    @Inject
    Passwords passwords;

    @Inject
    MasterKey masterKey;

    @Inject
    AuthGuard guard;

    /** Successful PBKDF2 verifications: HMAC(client id, secret) → the stored hash it matched, until a deadline. */
    private final Map<String, CachedVerification> verified = new ConcurrentHashMap<>();
    private byte[] cacheKey;

    private record CachedVerification(String storedHash, Instant until) {
    }

    @PostConstruct
    void init() {
        cacheKey = masterKey.derive("lgsp.auth.verification-cache");
    }

    /** Authenticates or fails with invalid_client (401) / slow_down (429). */
    public Uni<AuthenticatedClient> authenticate(ClientCredentials presented, String address, String path) {
        if (presented == null) {
            guard.audit(null, null, null, path, 401, "invalid_client", "no client authentication", address);
            return Uni.createFrom().failure(new OAuthException(401, "invalid_client", "Client authentication is required",
                    Map.of("WWW-Authenticate", "Basic realm=\"lgsp\"")));
        }
        String clientId = presented.clientId();
        long wait = guard.retryAfter(clientId, address);
        if (wait > 0) {
            guard.audit(clientId, null, null, path, 429, "slow_down", "throttled after repeated failures", address);
            return Uni.createFrom().failure(OAuthException.throttled(wait));
        }
        String serviceSecret = config.serviceClients().get(clientId);
        if (serviceSecret != null) {
            if (presented.secret() != null && Passwords.constantTimeEquals(serviceSecret, presented.secret())) {
                guard.succeeded(clientId);
                return Uni.createFrom().item(AuthenticatedClient.service(clientId));
            }
            return fail(presented, null, "wrong service client secret", address, path);
        }
        return credentials.findByClientId(clientId)
                .emitOn(Infrastructure.getDefaultWorkerPool())
                .chain(credential -> {
                    if (credential == null) {
                        passwords.burn(presented.secret());
                        return fail(presented, null, "unknown client id", address, path);
                    }
                    if (!secretMatches(credential, presented.secret())) {
                        return fail(presented, credential, "wrong client secret", address, path);
                    }
                    Instant now = Instant.now();
                    if (!credential.usable(now)) {
                        return fail(presented, credential, "credential is " + credential.effectiveStatus(now), address, path);
                    }
                    guard.succeeded(clientId);
                    return Uni.createFrom().item(AuthenticatedClient.system(credential));
                });
    }

    private Uni<AuthenticatedClient> fail(ClientCredentials presented, Credential credential, String reason, String address,
            String path) {
        guard.failed(presented.clientId(), address);
        guard.audit(presented.clientId(), credential == null ? null : credential.systemCode(),
                credential == null ? null : credential.environment(), path, 401, "invalid_client", reason, address);
        return Uni.createFrom().failure(OAuthException.invalidClient(presented.basic()));
    }

    /** Current secret, or the previous one during a rotation overlap. Blocking (PBKDF2): worker threads only. */
    boolean secretMatches(Credential c, String secret) {
        if (secret == null) {
            return false;
        }
        Instant now = Instant.now();
        if (Credential.HMAC.equals(c.kind())) {
            return keyMatches(c.secretEnc(), c, secret)
                    || (c.previousSecretValid(now) && keyMatches(c.previousSecretEnc(), c, secret));
        }
        String cacheId = cacheId(c.clientId(), secret);
        CachedVerification hit = verified.get(cacheId);
        if (hit != null && hit.until().isAfter(now)) {
            // Valid only while the hash it matched is still current (or the previous one inside the overlap).
            if (hit.storedHash().equals(c.secretHash())
                    || (c.previousSecretValid(now) && hit.storedHash().equals(c.previousSecretHash()))) {
                return true;
            }
        }
        String matched = null;
        if (passwords.verify(secret, c.secretHash())) {
            matched = c.secretHash();
        } else if (c.previousSecretValid(now) && passwords.verify(secret, c.previousSecretHash())) {
            matched = c.previousSecretHash();
        }
        if (matched == null) {
            return false;
        }
        if (verified.size() > 50_000) {
            verified.entrySet().removeIf(e -> e.getValue().until().isBefore(now));
        }
        verified.put(cacheId, new CachedVerification(matched, now.plus(config.verificationCacheTtl())));
        return true;
    }

    private boolean keyMatches(byte[] enc, Credential c, String secret) {
        if (enc == null) {
            return false;
        }
        byte[] stored = masterKey.decrypt(enc, Credential.aad(c.id()));
        return MessageDigest.isEqual(stored, secret.getBytes(StandardCharsets.UTF_8));
    }

    private String cacheId(String clientId, String secret) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(cacheKey, "HmacSHA256"));
            mac.update(clientId.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return Base64.getEncoder().encodeToString(mac.doFinal(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
