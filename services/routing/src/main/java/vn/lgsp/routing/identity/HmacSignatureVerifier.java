package vn.lgsp.routing.identity;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import vn.lgsp.common.httpsig.ContentDigest;
import vn.lgsp.common.httpsig.HttpSignatures;
import vn.lgsp.common.httpsig.InMemoryNonceStore;
import vn.lgsp.common.httpsig.SignatureException;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;
import vn.lgsp.routing.config.RoutingConfig;
import vn.lgsp.routing.gateway.BodyReader;
import vn.lgsp.routing.gateway.GatewayExchange;
import vn.lgsp.routing.gateway.step.ProxyStep;
import vn.lgsp.routing.snapshot.domain.HmacKey;
import vn.lgsp.routing.snapshot.domain.Route;
import vn.lgsp.routing.snapshot.domain.Snapshot;

/**
 * RFC 9421 hmac-sha256 signed requests, verified by the shared {@link HttpSignatures} against the access keys of
 * the snapshot (auth's hmac-keys feed), never calling auth on the request path.
 * <p>
 * The headers are verified first, so only a holder of a valid key can make the gateway read a body. A request
 * with a body must cover {@code content-digest}; its body is then read whole (up to the version's
 * maxRequestBytes, else 413) and checked against that digest before the caller is accepted, because a provider
 * must never receive a body the signature does not vouch for. Bearer-token requests keep streaming.
 * <p>
 * Nonces are checked in this replica's memory ({@link InMemoryNonceStore}, bounded by
 * {@code lgsp.routing.identity.nonce-cache-size}) and then across replicas ({@link SharedNonces}, PostgreSQL).
 */
@Singleton
public class HmacSignatureVerifier implements RequestSignatureVerifier {

    /** Challenge sent with every refusal of a signed request. */
    public static final String CHALLENGE = "Signature alg=\"" + HttpSignatures.ALGORITHM + "\"";

    @Inject
    RoutingConfig config;

    @Inject
    SharedNonces sharedNonces;

    private final Clock clock = Clock.systemUTC();
    private InMemoryNonceStore nonces;

    @PostConstruct
    void init() {
        nonces = new InMemoryNonceStore(config.identity().nonceCacheSize(), clock);
    }

    @Override
    public boolean applies(HttpServerRequest request) {
        return request.headers().contains("Signature-Input") || request.headers().contains("Signature");
    }

    @Override
    public Future<SystemIdentity> verify(GatewayExchange exchange) {
        long declared = exchange.declaredLength();
        return verifySignature(exchange.request(), exchange.snapshot(), provesBody(exchange.request())).compose(signed -> {
            SystemIdentity identity = signed.identity();
            if (!exchange.announcesBody()) {
                return Future.succeededFuture(identity);
            }
            if (signed.coversContentDigest()) {
                return readAndCheckBody(exchange, declared).map(identity);
            }
            // HTTP/2 without a length (the request handler runs before END_STREAM is seen): an empty body needs no
            // digest, any other is one the signature does not vouch for.
            return BodyReader.readWhole(exchange, declared, maxRequestBytes(exchange)).compose(body -> {
                if (body.length() > 0) {
                    return Future.failedFuture(uncoveredBody());
                }
                exchange.bufferedBody(body);
                return Future.succeededFuture(identity);
            });
        });
    }

    /**
     * Whether the headers prove a body (a Content-Length above 0, chunks), so the signature must cover
     * {@code content-digest} before anything is read. An HTTP/2 request without a length is settled when its body is
     * read ({@link #uncoveredBody}).
     */
    public static boolean provesBody(HttpServerRequest request) {
        String te = request.getHeader("Transfer-Encoding");
        return ProxyStep.contentLength(request.getHeader("Content-Length")) > 0
                || (te != null && te.toLowerCase(java.util.Locale.ROOT).contains("chunked"));
    }

    /** 401 for a body that came with a signature not covering {@code content-digest}. */
    public static ProblemException uncoveredBody() {
        return refused(new SignatureException(SignatureException.Reason.REQUIRED_COMPONENT_NOT_COVERED,
                "a request with a body must cover content-digest"));
    }

    /** A valid signature: whose, and whether it covers {@code content-digest} (so vouches for a body). */
    public record Signed(SystemIdentity identity, boolean coversContentDigest) {
    }

    /**
     * The signature and its nonce (this replica, then every replica), not the body: with {@code hasBody} the
     * signature must cover {@code content-digest}, and whoever reads the body checks it against that header. Fails
     * with the 401 {@link #refused} names. Shared by the data plane and the exchange API (Vĩnh Long Art. 11–12: a
     * system connects with its access key and secret key wherever it calls).
     */
    public Future<Signed> verifySignature(HttpServerRequest request, Snapshot snapshot, boolean hasBody) {
        HmacKey key;
        boolean covers;
        String[] nonce = new String[1];
        Instant[] forgetAfter = new Instant[1];
        try {
            HttpSignatures.Verified verified = HttpSignatures.verify(new VertxSignedMessage(request), hasBody,
                    keyId -> secretsFor(snapshot, keyId), (k, n, t) -> {
                        // this replica first (no I/O); the cluster-wide check follows once the signature is valid
                        nonce[0] = n;
                        forgetAfter[0] = t;
                        return nonces.firstUse(k, n, t);
                    }, clock);
            key = snapshot.hmacKeys().get(verified.keyId());
            covers = verified.components().contains("content-digest");
        } catch (SignatureException e) {
            return Future.failedFuture(refused(e));
        }
        Signed signed = new Signed(new SystemIdentity(key.system(), key.agency(), key.environment(), key.accessKey(),
                null, key.expiresAt() == null ? Long.MAX_VALUE : key.expiresAt().getEpochSecond()), covers);
        return sharedNonces.firstUse(key.accessKey(), nonce[0], forgetAfter[0]).compose(first -> first
                ? Future.succeededFuture(signed)
                : Future.failedFuture(refused(new SignatureException(SignatureException.Reason.REPLAYED_NONCE,
                        "this nonce was already used (seen by another gateway replica)"))));
    }

    /** Test and status support: nonces currently remembered. */
    public int rememberedNonces() {
        return nonces.size();
    }

    private List<byte[]> secretsFor(Snapshot snapshot, String keyId) {
        HmacKey key = snapshot.hmacKeys().get(keyId);
        // Keys expire between two polls too; revocation is checked by the Identify step on the accepted identity.
        return key == null ? List.of() : key.secretsAt(clock.instant());
    }

    private Future<Void> readAndCheckBody(GatewayExchange exchange, long declared) {
        String digest = String.join(", ", exchange.request().headers().getAll("Content-Digest"));
        return BodyReader.readWhole(exchange, declared, maxRequestBytes(exchange)).compose(body -> {
            try {
                checkBody(digest, body.getBytes());
            } catch (ProblemException e) {
                return Future.failedFuture(e);
            }
            exchange.bufferedBody(body);
            return Future.<Void>succeededFuture();
        });
    }

    /** The body a signature vouched for through its covered Content-Digest; else the 401 {@link #refused} names. */
    public static void checkBody(String contentDigest, byte[] body) {
        try {
            ContentDigest.verify(contentDigest, body);
        } catch (SignatureException e) {
            throw refused(e);
        }
    }

    private long maxRequestBytes(GatewayExchange exchange) {
        Route route = exchange.snapshot().routes().get(new Route.Key(exchange.serviceCode(), exchange.version()));
        // An unknown version will be refused by Route anyway; the default limit only bounds what is read before.
        return route != null ? route.maxRequestBytes() : config.upstream().defaultMaxRequestBytes();
    }

    /** 401 for a valid signature by an access key auth has revoked since (its feed, in the snapshot). */
    public static ProblemException revokedKey() {
        return new ProblemException(ProblemType.UNAUTHENTICATED, "The access key behind this signature has been revoked",
                List.of(), Map.of("WWW-Authenticate", CHALLENGE));
    }

    /** 401 naming why, in words a client developer can act on; the library's messages never carry secrets. */
    static ProblemException refused(SignatureException e) {
        String why = switch (e.reason()) {
            case MISSING_SIGNATURE -> "The request must carry both Signature-Input and Signature";
            case MALFORMED -> "The signature headers are malformed";
            case UNSUPPORTED_ALGORITHM -> "The signature algorithm is not supported (use hmac-sha256)";
            case UNSUPPORTED_COMPONENT -> "The signature covers a component this gateway does not support";
            case MISSING_COMPONENT -> "A covered component is missing from the request";
            case REQUIRED_COMPONENT_NOT_COVERED -> "The signature does not cover what it must";
            case MISSING_PARAMETER -> "The signature lacks a required parameter (keyid, created, nonce)";
            case STALE -> "The signature is stale";
            case FUTURE -> "The signature is dated in the future";
            case REPLAYED_NONCE -> "The signature's nonce was already used (replayed request)";
            case UNKNOWN_KEY -> "The access key is unknown, revoked or expired";
            case BAD_SIGNATURE -> "The signature does not match the request";
            case DIGEST_MISMATCH -> "The body does not match its Content-Digest";
        };
        return new ProblemException(ProblemType.UNAUTHENTICATED, why + ": " + e.getMessage(), List.of(),
                Map.of("WWW-Authenticate", CHALLENGE));
    }
}
