package vn.lgsp.auth.key.service;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.logging.Logger;
import vn.lgsp.auth.config.AuthConfig;
import vn.lgsp.auth.crypto.MasterKey;
import vn.lgsp.auth.key.repository.SigningKeyRepository;
import vn.lgsp.auth.key.repository.SigningKeyRepository.StoredKey;

/**
 * The RSA keys auth signs with. The active private key and all published public keys are held in memory and
 * reloaded from the database every {@link #REFRESH}, so a rotation done by one replica reaches the others
 * quickly; meanwhile they keep signing with the old key, which stays in the JWKS for the overlap.
 */
@ApplicationScoped
public class SigningKeys {

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);
    public static final String ALGORITHM = "RS256";
    static final Duration REFRESH = Duration.ofSeconds(30);

    @Inject
    SigningKeyRepository repository;

    @Inject
    MasterKey masterKey;

    @Inject
    AuthConfig config;

    /** The active key and the keys that verify, as last loaded. */
    public record KeyState(String activeKid, PrivateKey activeKey, Map<String, RSAPublicKey> verification,
            List<StoredKey> published, Instant loadedAt) {
    }

    private volatile KeyState state;

    void onStart(@Observes @Priority(10) StartupEvent ev) {
        Duration wait = Duration.ofSeconds(60);
        if (!repository.hasActive().await().atMost(wait)) {
            StoredKey fresh = generate();
            if (repository.insertIfNoActive(fresh).await().atMost(wait)) {
                LOG.infof("No active signing key: generated %s", fresh.kid());
            }
        }
        reload().await().atMost(wait);
    }

    /** The current state, reloaded first when stale. */
    public Uni<KeyState> current() {
        KeyState s = state;
        if (s != null && s.loadedAt().plus(REFRESH).isAfter(Instant.now())) {
            return Uni.createFrom().item(s);
        }
        return reload();
    }

    /** The state as held now, without touching the database (for in-process service tokens). */
    public KeyState cached() {
        KeyState s = state;
        if (s == null) {
            throw new IllegalStateException("Signing keys are not loaded yet");
        }
        return s;
    }

    /** A verification key by kid; an unknown kid triggers one reload (a peer replica may have just rotated). */
    public Uni<RSAPublicKey> verificationKey(String kid) {
        return current().chain(s -> {
            RSAPublicKey k = s.verification().get(kid);
            if (k != null || kid == null) {
                return Uni.createFrom().item(k);
            }
            return reload().map(r -> r.verification().get(kid));
        });
    }

    public Uni<KeyState> reload() {
        return repository.published().map(keys -> {
            Map<String, RSAPublicKey> verification = new HashMap<>();
            String activeKid = null;
            PrivateKey active = null;
            for (StoredKey k : keys) {
                verification.put(k.kid(), publicKey(k.publicKey()));
                if ("active".equals(k.status())) {
                    activeKid = k.kid();
                    active = privateKey(masterKey.decrypt(k.privateKeyEnc(), "signing_key:" + k.kid()));
                }
            }
            if (active == null) {
                throw new IllegalStateException("No active signing key in the database");
            }
            KeyState s = new KeyState(activeKid, active, Map.copyOf(verification), List.copyOf(keys), Instant.now());
            state = s;
            return s;
        });
    }

    /** Generates a new key, makes it active, retires the old one (published for the overlap). */
    public Uni<RotationResult> rotate() {
        Duration overlap = config.effectiveKeyOverlap();
        return Uni.createFrom().item(this::generate).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(fresh -> {
                    Instant retiredUntil = Instant.now().plus(overlap);
                    return repository.rotate(fresh, retiredUntil)
                            .chain(retired -> reload().replaceWith(new RotationResult(fresh.kid(), retired, retiredUntil)));
                });
    }

    public record RotationResult(String activeKid, String retiredKid, Instant retiredKidPublishedUntil) {
    }

    StoredKey generate() {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048);
            KeyPair pair = gen.generateKeyPair();
            // Sortable, readable, unique: when the key was made plus a random suffix.
            String kid = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC).format(Instant.now())
                    + "-" + UUID.randomUUID().toString().substring(0, 8);
            byte[] enc = masterKey.encrypt(pair.getPrivate().getEncoded(), "signing_key:" + kid);
            return new StoredKey(kid, ALGORITHM, pair.getPublic().getEncoded(), enc, "active", Instant.now(), null, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not generate an RSA key pair", e);
        }
    }

    private static RSAPublicKey publicKey(byte[] der) {
        try {
            return (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Stored public key is unreadable", e);
        }
    }

    private static PrivateKey privateKey(byte[] der) {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Stored private key is unreadable", e);
        }
    }
}
