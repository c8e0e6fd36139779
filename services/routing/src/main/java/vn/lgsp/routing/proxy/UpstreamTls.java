package vn.lgsp.routing.proxy;

import io.quarkus.tls.CertificateUpdatedEvent;
import io.quarkus.tls.TlsConfiguration;
import io.quarkus.tls.TlsConfigurationRegistry;
import io.quarkus.tls.runtime.config.TlsConfigUtils;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import vn.lgsp.routing.config.RoutingConfig;

/**
 * TLS towards providers (https upstreams, their health checks and OAuth2 token endpoints): a named configuration of
 * Quarkus' TLS registry ({@code lgsp.routing.upstream.tls-configuration-name}, e.g. {@code upstream} with
 * {@code quarkus.tls.upstream.trust-store.pem.certs} = the government or the province's own CA, and
 * {@code quarkus.tls.upstream.key-store.pem.0.cert/key} = the client certificate providers that require mutual TLS
 * are shown). Agency systems inside the province commonly carry certificates of a CA the JVM does not know
 * (REQUIREMENTS A5: connections encrypted, so the provider's certificate must be verifiable). Unset: the JVM's CAs,
 * no client certificate.
 * <p>
 * With {@code quarkus.tls.<name>.reload-period} the registry re-reads the files (a renewed Kubernetes Secret) and
 * this applies the new material to every client it configured: new connections use it, open ones finish as
 * they are.
 */
@Singleton
public class UpstreamTls {

    private static final Logger LOG = Logger.getLogger(UpstreamTls.class);

    @Inject
    TlsConfigurationRegistry registry;

    @Inject
    RoutingConfig config;

    private String name;
    private volatile TlsConfiguration tls;
    /** fingerprint() of the material the clients use. */
    private volatile String applied = "";
    private final Set<HttpClient> clients = ConcurrentHashMap.newKeySet();

    @PostConstruct
    void init() {
        name = config.upstream().tlsConfigurationName().filter(n -> !n.isBlank()).orElse(null);
        if (name != null) {
            // Refuse to start rather than reach providers with the wrong trust: the operator named it for a reason.
            tls = registry.get(name).orElseThrow(() -> new IllegalStateException(
                    "lgsp.routing.upstream.tls-configuration-name is " + name + " but there is no quarkus.tls." + name
                            + ".* configuration"));
            applied = fingerprint(tls);
            LOG.infof("Provider TLS: configuration %s (trust store %s, client certificate %s)", name,
                    tls.getTrustStoreOptions() == null ? "the JVM's CAs" : "configured",
                    tls.getKeyStoreOptions() == null ? "none" : "configured");
        }
    }

    /** The configured trust, client certificate and protocol settings on a client's options (unchanged if none). */
    public HttpClientOptions configure(HttpClientOptions options) {
        TlsConfiguration current = tls;
        if (current != null) {
            boolean ssl = options.isSsl();
            TlsConfigUtils.configure(options, current);
            // It turns TLS on by default; every request names its own scheme (http or https upstream) anyway.
            options.setSsl(ssl);
        }
        return options;
    }

    /** A client to update when the material is reloaded. */
    public HttpClient track(HttpClient client) {
        if (name != null) {
            clients.add(client);
        }
        return client;
    }

    public void forget(HttpClient client) {
        clients.remove(client);
    }

    /** The registry fires this after every reload-period; only new certificates are applied (and logged). */
    void reloaded(@Observes CertificateUpdatedEvent event) {
        if (name == null || !name.equals(event.name())) {
            return;
        }
        TlsConfiguration next = event.tlsConfiguration();
        // The registry reloads its configuration object in place: compare with what was last applied.
        String now = fingerprint(next);
        if (now.equals(applied)) {
            return;
        }
        applied = now;
        tls = next;
        var options = next.getSSLOptions();
        for (HttpClient client : clients) {
            client.updateSSLOptions(options).onFailure(e -> LOG.warnf(
                    "Provider TLS configuration %s reloaded, but a client kept its previous material: %s", name, e.getMessage()));
        }
        LOG.infof("Provider TLS configuration %s has new certificates; new connections of %d clients use them", name,
                clients.size());
    }

    /** SHA-256 over the certificates of the key and trust stores: what changes when a Secret is renewed. */
    static String fingerprint(TlsConfiguration t) {
        if (t == null) {
            return "";
        }
        try {
            java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
            for (java.security.KeyStore store : new java.security.KeyStore[] { t.getKeyStore(), t.getTrustStore() }) {
                digest.update((byte) '|');
                if (store == null) {
                    continue;
                }
                for (String alias : new java.util.TreeSet<>(java.util.Collections.list(store.aliases()))) {
                    java.security.cert.Certificate[] chain = store.getCertificateChain(alias);
                    java.security.cert.Certificate single = store.getCertificate(alias);
                    for (java.security.cert.Certificate c : chain != null ? chain
                            : single != null ? new java.security.cert.Certificate[] { single }
                            : new java.security.cert.Certificate[0]) {
                        digest.update(c.getEncoded());
                    }
                }
            }
            return java.util.HexFormat.of().formatHex(digest.digest());
        } catch (java.security.GeneralSecurityException e) {
            // unreadable: treat as changed, so the reloaded material is applied rather than silently skipped
            return "unreadable:" + System.nanoTime();
        }
    }
}
