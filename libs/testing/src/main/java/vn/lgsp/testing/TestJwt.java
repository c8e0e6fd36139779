package vn.lgsp.testing;

import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.UUID;

/**
 * Signs JWTs for tests the way auth signs them in production (RS256, same claims), with a key pair made
 * on first use and kept under {@code target/lgsp-test-keys} so the test JVM and the service under test
 * read the same key. Nothing here is a production secret.
 */
public final class TestJwt {

    public static final String ISSUER = "https://lgsp.test/auth";
    public static final String KEY_ID = "lgsp-test-key";

    private static KeyPair keys;

    private TestJwt() {
    }

    /** The directory of the test key pair. */
    public static Path keyDir() {
        return Path.of(System.getProperty("lgsp.test.workdir", "target")).resolve("lgsp-test-keys");
    }

    /** Path of the public key in PEM, for {@code mp.jwt.verify.publickey.location}. */
    public static synchronized Path publicKeyPem() {
        keys();
        return keyDir().resolve("public.pem");
    }

    public static String operator() {
        return claims("operator-1", Set.of("operator")).sign(keys().getPrivate());
    }

    public static String auditor() {
        return claims("auditor-1", Set.of("auditor")).sign(keys().getPrivate());
    }

    public static String agencyAdmin(String agencyCode) {
        return claims("admin-" + agencyCode, Set.of("agency-admin")).claim("agency", agencyCode).sign(keys().getPrivate());
    }

    public static String service(String name) {
        return claims("service:" + name, Set.of("service")).sign(keys().getPrivate());
    }

    public static String system(String systemCode, String agencyCode, String environment) {
        return claims(systemCode, Set.of("system"))
                .claim("agency", agencyCode)
                .claim("env", environment)
                .claim("client_id", "ck-" + systemCode)
                .sign(keys().getPrivate());
    }

    public static String expired(String subject, Set<String> roles) {
        long now = System.currentTimeMillis() / 1000;
        return Jwt.issuer(ISSUER).subject(subject).groups(roles).issuedAt(now - 7200).expiresAt(now - 3600)
                .jws().keyId(KEY_ID).sign(keys().getPrivate());
    }

    /** A well-formed token signed by a key nobody trusts. */
    public static String signedByStranger(String subject, Set<String> roles) {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048);
            return claims(subject, roles).sign(gen.generateKeyPair().getPrivate());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Claims builder with issuer, subject, roles, jti and a 10-minute lifetime; add claims and call sign. */
    public static Signer claims(String subject, Set<String> roles) {
        JwtClaimsBuilder b = Jwt.issuer(ISSUER).subject(subject).groups(roles)
                .claim("jti", UUID.randomUUID().toString()).expiresIn(Duration.ofMinutes(10));
        return new Signer(b);
    }

    /** A pending token: add claims, then sign. */
    public static final class Signer {
        private final JwtClaimsBuilder builder;

        Signer(JwtClaimsBuilder builder) {
            this.builder = builder;
        }

        public Signer claim(String name, Object value) {
            builder.claim(name, value);
            return this;
        }

        public String sign(PrivateKey key) {
            return builder.jws().keyId(KEY_ID).sign(key);
        }

        public String sign() {
            return sign(keys().getPrivate());
        }
    }

    public static synchronized KeyPair keys() {
        if (keys != null) {
            return keys;
        }
        try {
            Path dir = keyDir();
            Path priv = dir.resolve("private.der");
            Path pub = dir.resolve("public.der");
            if (!Files.exists(priv) || !Files.exists(pub)) {
                Files.createDirectories(dir);
                KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
                gen.initialize(2048);
                KeyPair kp = gen.generateKeyPair();
                // Write-then-move: several JVMs of one build may race to create the pair.
                Path tmpPriv = Files.createTempFile(dir, "priv", ".tmp");
                Path tmpPub = Files.createTempFile(dir, "pub", ".tmp");
                Files.write(tmpPriv, kp.getPrivate().getEncoded());
                Files.write(tmpPub, kp.getPublic().getEncoded());
                if (!Files.exists(priv)) {
                    Files.move(tmpPub, pub, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(tmpPriv, priv, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } else {
                    Files.deleteIfExists(tmpPriv);
                    Files.deleteIfExists(tmpPub);
                }
            }
            KeyFactory kf = KeyFactory.getInstance("RSA");
            PrivateKey privateKey = kf.generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(priv)));
            PublicKey publicKey = kf.generatePublic(new X509EncodedKeySpec(Files.readAllBytes(pub)));
            Path pem = dir.resolve("public.pem");
            String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(publicKey.getEncoded());
            Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n");
            keys = new KeyPair(publicKey, privateKey);
            return keys;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("Could not prepare the test signing key", e);
        }
    }
}
