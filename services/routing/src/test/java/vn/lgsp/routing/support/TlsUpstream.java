package vn.lgsp.routing.support;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.TrustOptions;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.X509TrustManager;

/**
 * An https provider for the TLS tests: serves with the certificate {@code <name>.crt} made by RoutingTestResource,
 * asks for a client certificate (any is accepted: the answer says which one came, as SHA-256 of its DER
 * encoding) and closes each connection after its answer, so every call opens a new TLS session.
 */
public final class TlsUpstream implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final HttpServer server;

    public TlsUpstream(String name) throws Exception {
        Path dir = RoutingTestResource.TLS;
        HttpServerOptions options = new HttpServerOptions().setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions().setCertPath(dir.resolve(name + ".crt").toString())
                        .setKeyPath(dir.resolve(name + ".key").toString()))
                .setClientAuth(ClientAuth.REQUEST)
                .setTrustOptions(TrustOptions.wrap(new AnyClient()));
        server = vertx.createHttpServer(options).requestHandler(req -> {
            String client = null;
            try {
                List<Certificate> chain = req.connection().peerCertificates();
                client = chain == null || chain.isEmpty() ? null : sha256(chain.get(0));
            } catch (Exception e) {
                // no client certificate
            }
            req.response().putHeader("content-type", "application/json").putHeader("connection", "close")
                    .end(new JsonObject().put("tls", true).put("clientCertificateSha256", client).encode());
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public String baseUrl() {
        return "https://localhost:" + server.actualPort();
    }

    /** SHA-256 of a PEM certificate file's DER encoding, to compare with what the provider saw. */
    public static String sha256(Path pem) throws Exception {
        try (var in = java.nio.file.Files.newInputStream(pem)) {
            return sha256(java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
    }

    private static String sha256(Certificate c) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** The test provider takes any client certificate and reports it; real providers check theirs against a CA. */
    private static final class AnyClient implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("server side only");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
