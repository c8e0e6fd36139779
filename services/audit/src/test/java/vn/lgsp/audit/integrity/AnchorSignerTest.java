package vn.lgsp.audit.integrity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.LocalDate;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import vn.lgsp.audit.integrity.service.AnchorSigner;
import vn.lgsp.audit.support.AuditConfig;

/** A configured anchor key (PKCS#8 + SPKI PEM, Ed25519 or P-256) is used; a mismatched or missing pair refuses to start. */
class AnchorSignerTest {

    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    static AnchorSigner signer(String priv, String pub, boolean require) throws Exception {
        AuditConfig.Anchor anchor = new AuditConfig.Anchor() {
            public Optional<String> privateKey() {
                return Optional.ofNullable(priv);
            }

            public Optional<String> publicKey() {
                return Optional.ofNullable(pub);
            }

            public boolean requireKey() {
                return require;
            }
        };
        AuditConfig config = (AuditConfig) java.lang.reflect.Proxy.newProxyInstance(AuditConfig.class.getClassLoader(),
                new Class<?>[] { AuditConfig.class }, (p, m, a) -> m.getName().equals("anchor") ? anchor : null);
        AnchorSigner s = new AnchorSigner();
        var f = AnchorSigner.class.getDeclaredField("config");
        f.setAccessible(true);
        f.set(s, config);
        var init = AnchorSigner.class.getDeclaredMethod("init");
        init.setAccessible(true);
        try {
            init.invoke(s);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw (Exception) e.getCause();
        }
        return s;
    }

    @Test
    void configuredEd25519AndP256KeysSignVerifiably() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        for (KeyPair kp : new KeyPair[] { KeyPairGenerator.getInstance("Ed25519").generateKeyPair(), ec.generateKeyPair() }) {
            AnchorSigner s = signer(pem("PRIVATE KEY", kp.getPrivate().getEncoded()),
                    pem("PUBLIC KEY", kp.getPublic().getEncoded()), true);
            byte[] payload = AnchorSigner.payload(LocalDate.of(2026, 11, 23), 42, "ab".repeat(32));
            String sig = s.sign(payload);
            assertTrue(AnchorSigner.verify(s.algorithm(), kp.getPublic(), payload, sig), s.algorithm());
            assertFalse(AnchorSigner.verify(s.algorithm(), kp.getPublic(),
                    AnchorSigner.payload(LocalDate.of(2026, 11, 23), 41, "ab".repeat(32)), sig));
            assertEquals(kp.getPublic(), AnchorSigner.parsePublicKey(s.algorithm(), s.publicKeyPem()));
        }
    }

    @Test
    void aMismatchedOrMissingKeyRefusesToStart() throws Exception {
        KeyPair a = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        KeyPair b = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        IllegalStateException mismatch = assertThrows(IllegalStateException.class,
                () -> signer(pem("PRIVATE KEY", a.getPrivate().getEncoded()), pem("PUBLIC KEY", b.getPublic().getEncoded()), false));
        assertTrue(mismatch.getMessage().contains("does not match"));
        assertThrows(IllegalStateException.class, () -> signer(pem("PRIVATE KEY", a.getPrivate().getEncoded()), null, false));
        assertThrows(IllegalStateException.class, () -> signer(null, null, true));
        assertEquals("Ed25519", signer(null, null, false).algorithm(), "dev/test: ephemeral key");
    }
}
