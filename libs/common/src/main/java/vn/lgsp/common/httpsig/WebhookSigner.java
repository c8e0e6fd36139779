package vn.lgsp.common.httpsig;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * How the platform signs the webhooks it sends (catalog to subscribers, audit to alert receivers), so a receiver checks
 * them all the same way, with the verifier agency systems already use ({@link HttpSignatures}).
 * <p>
 * Secrets are <b>derived, never stored</b>: {@code whsec_} + base64url(HMAC-SHA256(signing key, subject ":" generation)),
 * shown to the receiver's owner once (on creation or rotation); rotating moves the generation. The key id a request
 * carries is {@code <subject>.<generation>}. Each request is signed with RFC 9421 ({@code hmac-sha256}) over
 * {@code @method}, {@code @target-uri} and {@code content-digest} (RFC 9530), with {@code created} and a fresh
 * {@code nonce}: origin, integrity and freshness.
 */
public final class WebhookSigner {

    private static final Logger LOG = Logger.getLogger(WebhookSigner.class);
    public static final String SECRET_PREFIX = "whsec_";
    /** The signature's label in Signature-Input and Signature. */
    public static final String LABEL = "lgsp";

    private final byte[] signingKey;

    public WebhookSigner(byte[] signingKey) {
        this.signingKey = signingKey.clone();
    }

    /**
     * The signing key from configuration: {@code configured} when set; else one derived from the service's client
     * secret with {@code label} (so a deployment that only sets that still has stable secrets); else a random one per
     * process, which the log says (secrets then change on restart). {@code property} names the setting in that warning.
     */
    public static WebhookSigner fromConfig(Optional<String> configured, Optional<String> clientSecret, String label,
            String property) {
        if (configured.isPresent() && !configured.get().isBlank()) {
            return new WebhookSigner(configured.get().getBytes(StandardCharsets.UTF_8));
        }
        if (clientSecret.isPresent() && !clientSecret.get().isBlank()) {
            return new WebhookSigner(hmac(clientSecret.get().getBytes(StandardCharsets.UTF_8), label));
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        LOG.warnf("Neither %s nor lgsp.platform.client-secret is set: webhook secrets change when the service restarts",
                property);
        return new WebhookSigner(random);
    }

    /** The secret the receiver verifies with, for {@code subject} (a subscription, an alert rule) at {@code generation}. */
    public String secret(String subject, int generation) {
        return SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(signingKey, subject + ":" + generation));
    }

    public static String keyId(String subject, int generation) {
        return subject + "." + generation;
    }

    /**
     * The headers that sign a POST of {@code body} to {@code uri}: {@code Content-Digest}, {@code Signature-Input} and
     * {@code Signature}. The target URI is the URL as given (its authority as written, default port omitted).
     */
    public Map<String, String> sign(URI uri, byte[] body, String subject, int generation, long createdEpochSeconds) {
        String digest = ContentDigest.sha256Header(body);
        String authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        SignedMessage message = SignedMessage.of("POST", uri.getScheme().toLowerCase(Locale.ROOT), authority, path,
                uri.getRawQuery(), Map.of("content-digest", List.of(digest)));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Digest", digest);
        headers.putAll(HttpSignatures.sign(message, LABEL, HttpSignatures.defaultComponents(true), keyId(subject, generation),
                HttpSignatures.keyBytes(secret(subject, generation)), createdEpochSeconds, UUID.randomUUID().toString()));
        return headers;
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
