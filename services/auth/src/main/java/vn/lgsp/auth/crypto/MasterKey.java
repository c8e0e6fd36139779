package vn.lgsp.auth.crypto;

import io.quarkus.runtime.LaunchMode;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;
import vn.lgsp.auth.config.AuthConfig;

/**
 * Encrypts what auth must be able to read back (private signing keys, HMAC secret keys) with AES-256-GCM.
 * Stored form: version byte, 12-byte nonce, ciphertext+tag. The associated data binds a ciphertext to its row,
 * so an encrypted value copied into another row does not decrypt.
 */
@ApplicationScoped
public class MasterKey {

    private static final Logger LOG = Logger.getLogger(MasterKey.class);
    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 12;

    @Inject
    AuthConfig config;

    private final SecureRandom random = new SecureRandom();
    private SecretKey key;

    @PostConstruct
    void init() {
        key = load(config.masterKey().orElse(null), LaunchMode.current());
    }

    static SecretKey load(String configured, LaunchMode mode) {
        if (configured == null || configured.isBlank()) {
            if (mode == LaunchMode.NORMAL) {
                throw new IllegalStateException("lgsp.auth.master-key (LGSP_AUTH_MASTER_KEY) is required in production: "
                        + "base64 of 32 random bytes, e.g. `openssl rand -base64 32`");
            }
            // Stable across restarts so dev data stays readable; worthless as a secret, hence the warning.
            LOG.warn("lgsp.auth.master-key is not set: using a fixed, PUBLIC development key. Never run like this in production.");
            return new SecretKeySpec(sha256("lgsp-insecure-development-master-key"), "AES");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(configured.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("lgsp.auth.master-key is not valid base64");
        }
        if (raw.length != 32) {
            throw new IllegalStateException("lgsp.auth.master-key must decode to 32 bytes, got " + raw.length);
        }
        return new SecretKeySpec(raw, "AES");
    }

    /** For unit tests that run without CDI. */
    void useKeyForTests(SecretKey key) {
        this.key = key;
    }

    public byte[] encrypt(byte[] plain, String associatedData) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plain);
            byte[] out = new byte[1 + NONCE_BYTES + sealed.length];
            out[0] = VERSION;
            System.arraycopy(nonce, 0, out, 1, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, 1 + NONCE_BYTES, sealed.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    public byte[] decrypt(byte[] stored, String associatedData) {
        if (stored == null || stored.length < 1 + NONCE_BYTES + 16 || stored[0] != VERSION) {
            throw new IllegalStateException("Encrypted value has an unknown format");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, stored, 1, NONCE_BYTES));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return cipher.doFinal(stored, 1 + NONCE_BYTES, stored.length - 1 - NONCE_BYTES);
        } catch (GeneralSecurityException e) {
            // Most likely a different master key than the one the data was written with.
            throw new IllegalStateException("Could not decrypt a stored secret: is lgsp.auth.master-key the one it was written with?", e);
        }
    }

    /** A key derived from the master key for one purpose (e.g. the verification cache), never the master key itself. */
    public byte[] derive(String purpose) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
