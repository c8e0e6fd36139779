package vn.lgsp.auth;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.RsaJsonWebKey;
import org.jose4j.jwk.RsaJwkGenerator;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.lang.JoseException;

/**
 * An OpenID Connect provider on a real HTTP server, as the province's single sign-on would be: a discovery document
 * at {@code <issuer>/.well-known/openid-configuration}, its keys at {@code jwks_uri}, and ID tokens signed with them.
 * It can rotate its key (the old one leaves its JWKS) and go down (503 everywhere). Two realms share the server.
 */
public final class TestIdentityProvider {

    public static final String AUDIENCE = "lgsp-admin";

    /** One issuer: its key, and whether it answers. */
    public static final class Realm {
        private final String path;
        private volatile RsaJsonWebKey key;
        private volatile boolean down;
        final AtomicInteger jwksFetches = new AtomicInteger();

        Realm(String path) {
            this.path = path;
            this.key = newKey();
        }

        public String issuer() {
            return base() + path;
        }

        public String jwksUri() {
            return issuer() + "/protocol/openid-connect/certs";
        }

        public int jwksFetches() {
            return jwksFetches.get();
        }

        /** A new signing key; the JWKS lists only it from now on. */
        public void rotate() {
            key = newKey();
        }

        public void down(boolean down) {
            this.down = down;
        }

        /** An ID token as the provider issues one after sign-in: iss, aud, sub, iat now, exp in 5 minutes. */
        public JwtClaims claims(String subject) {
            JwtClaims c = new JwtClaims();
            c.setIssuer(issuer());
            c.setAudience(AUDIENCE, "account");
            c.setClaim("azp", AUDIENCE); // the client the person signed in to, as OIDC requires with several audiences
            c.setSubject(subject);
            c.setIssuedAtToNow();
            c.setExpirationTimeMinutesInTheFuture(5);
            c.setGeneratedJwtId();
            c.setClaim("preferred_username", "u-" + subject);
            return c;
        }

        public String sign(JwtClaims claims) {
            return sign(claims, key);
        }

        public String idToken(String subject) {
            return sign(claims(subject));
        }

        public static String sign(JwtClaims claims, RsaJsonWebKey key) {
            return sign(claims, key, null);
        }

        public String sign(JwtClaims claims, String typ) {
            return sign(claims, key, typ);
        }

        static String sign(JwtClaims claims, RsaJsonWebKey key, String typ) {
            JsonWebSignature jws = new JsonWebSignature();
            if (typ != null) {
                jws.setHeader("typ", typ);
            }
            jws.setPayload(claims.toJson());
            jws.setKey(key.getPrivateKey());
            jws.setKeyIdHeaderValue(key.getKeyId());
            jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.RSA_USING_SHA256);
            try {
                return jws.getCompactSerialization();
            } catch (JoseException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static HttpServer server;
    public static final Realm PROVINCE = new Realm("/realms/tinh");
    public static final Realm NATIONAL = new Realm("/vneid");

    public static RsaJsonWebKey newKey() {
        try {
            RsaJsonWebKey k = RsaJwkGenerator.generateJwk(2048);
            k.setKeyId(UUID.randomUUID().toString());
            return k;
        } catch (JoseException e) {
            throw new IllegalStateException(e);
        }
    }

    static synchronized void start() {
        if (server != null) {
            return;
        }
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        for (Realm realm : new Realm[] { PROVINCE, NATIONAL }) {
            server.createContext(realm.path + "/.well-known/openid-configuration", ex -> {
                if (realm.down) {
                    send(ex, 503, "{}");
                    return;
                }
                send(ex, 200, org.jose4j.json.JsonUtil.toJson(Map.of("issuer", realm.issuer(), "jwks_uri", realm.jwksUri(),
                        "id_token_signing_alg_values_supported", java.util.List.of("RS256"))));
            });
            server.createContext(realm.path + "/protocol/openid-connect/certs", ex -> {
                realm.jwksFetches.incrementAndGet();
                if (realm.down) {
                    send(ex, 503, "{}");
                    return;
                }
                send(ex, 200, new JsonWebKeySet(realm.key).toJson()); // public parts only
            });
        }
        server.start();
    }

    static synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    static String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private TestIdentityProvider() {
    }
}
