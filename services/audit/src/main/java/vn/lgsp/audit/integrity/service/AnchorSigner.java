package vn.lgsp.audit.integrity.service;

import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.LocalDate;
import java.util.Base64;
import org.jboss.logging.Logger;
import vn.lgsp.audit.support.AuditConfig;

/**
 * Signs daily anchors with an asymmetric key (Ed25519 or ECDSA P-256) so a third party holding only the public
 * key can check that a day's count and last hash are what the service saw. The private key comes from
 * {@code lgsp.audit.anchor.private-key} (PKCS#8 PEM) with its public key; without one an ephemeral Ed25519 key is
 * generated and a warning logged (its public key is still recorded, so its anchors stay verifiable).
 */
@ApplicationScoped
@Startup
public class AnchorSigner {

    private static final Logger LOG = Logger.getLogger(AnchorSigner.class);

    @Inject
    AuditConfig config;

    private PrivateKey privateKey;
    private PublicKey publicKey;
    private String algorithm;
    private String keyId;

    @PostConstruct
    void init() {
        var anchor = config.anchor();
        if (anchor.privateKey().filter(s -> !s.isBlank()).isPresent()) {
            if (anchor.publicKey().filter(s -> !s.isBlank()).isEmpty()) {
                throw new IllegalStateException("lgsp.audit.anchor.private-key is set but lgsp.audit.anchor.public-key "
                        + "(the matching SubjectPublicKeyInfo PEM) is not");
            }
            try {
                byte[] pkcs8 = pem(anchor.privateKey().get(), "PRIVATE KEY");
                byte[] spki = pem(anchor.publicKey().get(), "PUBLIC KEY");
                String family = null;
                for (String f : new String[] { "Ed25519", "EC" }) {
                    try {
                        KeyFactory kf = KeyFactory.getInstance(f);
                        privateKey = kf.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
                        publicKey = kf.generatePublic(new X509EncodedKeySpec(spki));
                        family = f;
                        break;
                    } catch (GeneralSecurityException e) {
                        // try the next family
                    }
                }
                if (family == null) {
                    throw new IllegalStateException("lgsp.audit.anchor.private-key is neither an Ed25519 nor an EC PKCS#8 key");
                }
                algorithm = "Ed25519".equals(family) ? "Ed25519" : "SHA256withECDSA";
                byte[] probe = "lgsp-anchor-probe".getBytes(StandardCharsets.US_ASCII);
                if (!verify(algorithm, publicKey, probe, sign(probe))) {
                    throw new IllegalStateException("lgsp.audit.anchor.public-key does not match the private key");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("The anchor key is not valid PEM: " + e.getMessage());
            }
        } else {
            if (anchor.requireKey()) {
                throw new IllegalStateException("lgsp.audit.anchor.require-key is true but lgsp.audit.anchor.private-key "
                        + "(LGSP_AUDIT_ANCHOR_PRIVATE_KEY) is not set");
            }
            try {
                KeyPair kp = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                privateKey = kp.getPrivate();
                publicKey = kp.getPublic();
                algorithm = "Ed25519";
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
            LOG.warn("No anchor signing key configured (LGSP_AUDIT_ANCHOR_PRIVATE_KEY): using an ephemeral Ed25519 key. "
                    + "Anchors stay verifiable with its recorded public key, but configure a persistent key in production.");
        }
        keyId = ChainHash.sha256Hex(Base64.getEncoder().encodeToString(publicKey.getEncoded())).substring(0, 16);
    }

    /** The exact bytes signed for a day: anyone can rebuild them from the anchor's fields. */
    public static byte[] payload(LocalDate day, long count, String lastHash) {
        return ("lgsp-audit-anchor-v1|" + day + "|" + count + "|" + lastHash).getBytes(StandardCharsets.UTF_8);
    }

    public String sign(byte[] data) {
        try {
            Signature s = Signature.getInstance(algorithm);
            s.initSign(privateKey);
            s.update(data);
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Anchor signing failed", e);
        }
    }

    public static boolean verify(String algorithm, PublicKey key, byte[] data, String signatureB64) {
        try {
            Signature s = Signature.getInstance(algorithm);
            s.initVerify(key);
            s.update(data);
            return s.verify(Base64.getDecoder().decode(signatureB64));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    public static PublicKey parsePublicKey(String algorithm, String pemText) {
        try {
            String family = "Ed25519".equals(algorithm) ? "Ed25519" : "EC";
            return KeyFactory.getInstance(family).generatePublic(new X509EncodedKeySpec(pem(pemText, "PUBLIC KEY")));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    public String algorithm() {
        return algorithm;
    }

    public String keyId() {
        return keyId;
    }

    public String publicKeyPem() {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(publicKey.getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + b64 + "\n-----END PUBLIC KEY-----\n";
    }

    static byte[] pem(String text, String label) {
        String body = text.replace("-----BEGIN " + label + "-----", "").replace("-----END " + label + "-----", "")
                .replaceAll("\\s", "");
        return Base64.getDecoder().decode(body);
    }
}
