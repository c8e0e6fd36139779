package vn.lgsp.auth.signature.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import vn.lgsp.auth.config.AuthConfig;
import vn.lgsp.auth.credential.domain.Credential;
import vn.lgsp.auth.credential.repository.CredentialRepository;
import vn.lgsp.auth.crypto.MasterKey;

/**
 * Secret keys of hmac credentials, decrypted on demand and kept briefly in memory per access key so that a burst
 * of verifications costs one query. Revocation and rotation through this replica invalidate the entry at once;
 * other replicas notice within {@code lgsp.auth.hmac.key-cache-ttl}.
 */
@ApplicationScoped
public class HmacKeys {

    @Inject
    CredentialRepository repository;

    @Inject
    MasterKey masterKey;

    @Inject
    AuthConfig config;

    /** A usable hmac credential: the current secret first, then the previous one while its overlap lasts. */
    public record Key(Credential credential, List<byte[]> secrets, Instant previousValidUntil) {

        /** The secrets that may be used at this instant; empty when the credential expired meanwhile. */
        public List<byte[]> secretsAt(Instant now) {
            if (!credential.usable(now)) {
                return List.of();
            }
            if (secrets.size() > 1 && (previousValidUntil == null || !previousValidUntil.isAfter(now))) {
                return secrets.subList(0, 1);
            }
            return secrets;
        }
    }

    private record Cached(Key key, Instant until) {
    }

    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    /** The key of an access key, or null when unknown, not hmac, revoked or expired. */
    public Uni<Key> find(String accessKey) {
        Instant now = Instant.now();
        Cached c = cache.get(accessKey);
        if (c != null && c.until().isAfter(now)) {
            return Uni.createFrom().item(c.key());
        }
        return repository.findByClientId(accessKey).map(credential -> {
            if (credential == null || !Credential.HMAC.equals(credential.kind()) || !credential.usable(Instant.now())) {
                cache.remove(accessKey);
                return null;
            }
            Key key = decrypt(credential, Instant.now());
            cache.put(accessKey, new Cached(key, Instant.now().plus(config.hmac().keyCacheTtl())));
            return key;
        });
    }

    /** Decrypts the current secret and, while valid, the previous one. */
    public Key decrypt(Credential c, Instant now) {
        List<byte[]> secrets = new ArrayList<>(2);
        secrets.add(masterKey.decrypt(c.secretEnc(), Credential.aad(c.id())));
        if (c.previousSecretEnc() != null && c.previousSecretValid(now)) {
            secrets.add(masterKey.decrypt(c.previousSecretEnc(), Credential.aad(c.id())));
        }
        return new Key(c, List.copyOf(secrets), c.previousValidUntil());
    }

    public void invalidate(String accessKey) {
        if (accessKey != null) {
            cache.remove(accessKey);
        }
    }
}
