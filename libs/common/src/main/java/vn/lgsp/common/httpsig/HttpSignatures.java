package vn.lgsp.common.httpsig;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * RFC 9421 HTTP Message Signatures with {@code hmac-sha256}, as Vĩnh Long Art. 12 needs for access_key /
 * secret_key request signing. The gateway and auth's verification endpoint run this same code.
 * <p>
 * Policy on top of the RFC: the signature must cover {@code @method}, the target ({@code @target-uri},
 * or {@code @authority} + {@code @path} and {@code @query} when there is a query) and, when the request has
 * a body, {@code content-digest} (RFC 9530); it must carry {@code keyid}, {@code created} within
 * {@link #MAX_SKEW} of now, and a {@code nonce} never seen before. The HMAC key is the UTF-8 bytes of the
 * secret_key string.
 */
public final class HttpSignatures {

    public static final String ALGORITHM = "hmac-sha256";
    public static final Duration MAX_SKEW = Duration.ofSeconds(300);

    private HttpSignatures() {
    }

    /**
     * Finds the usable secrets of an access key, the current one first; during a rotation overlap the previous
     * secret follows it, so a client that has not switched yet keeps working. Empty when unknown, revoked or expired.
     */
    @FunctionalInterface
    public interface KeyResolver {
        List<byte[]> secretsFor(String keyId);
    }

    /** Remembers nonces until they can no longer be replayed within the skew window. */
    @FunctionalInterface
    public interface NonceStore {
        /** True the first time this (key, nonce) is seen; false for a replay. */
        boolean firstUse(String keyId, String nonce, Instant forgetAfter);
    }

    /** A verified signature: who signed, what was covered, when. */
    public record Verified(String keyId, String label, List<String> components, Instant created) {
    }

    public static Verified verify(SignedMessage message, boolean hasBody, KeyResolver keys, NonceStore nonces, Clock clock) {
        List<String> inputs = message.header("signature-input");
        List<String> signatures = message.header("signature");
        if (inputs.isEmpty() || signatures.isEmpty()) {
            throw new SignatureException(SignatureException.Reason.MISSING_SIGNATURE,
                    "the request carries no Signature-Input and Signature headers");
        }
        Map<String, StructuredFields.Member> inputDict = StructuredFields.parseDictionary(String.join(", ", inputs));
        Map<String, StructuredFields.Member> sigDict = StructuredFields.parseDictionary(String.join(", ", signatures));
        String label = null;
        for (Map.Entry<String, StructuredFields.Member> e : inputDict.entrySet()) {
            if (e.getValue().items() != null && sigDict.containsKey(e.getKey()) && e.getValue().params().containsKey("keyid")) {
                label = e.getKey();
                break;
            }
        }
        if (label == null) {
            throw new SignatureException(SignatureException.Reason.MALFORMED,
                    "no signature label appears in both Signature-Input and Signature with a keyid");
        }
        StructuredFields.Member input = inputDict.get(label);
        byte[] signature = sigDict.get(label).bytes();
        if (signature == null) {
            throw new SignatureException(SignatureException.Reason.MALFORMED, "the Signature member is not a byte sequence");
        }
        Map<String, Object> params = input.params();
        String keyId = stringParam(params, "keyid");
        Object alg = params.get("alg");
        if (alg != null && !ALGORITHM.equals(alg)) {
            throw new SignatureException(SignatureException.Reason.UNSUPPORTED_ALGORITHM,
                    "alg must be " + ALGORITHM);
        }
        if (!(params.get("created") instanceof Long createdSeconds)) {
            throw new SignatureException(SignatureException.Reason.MISSING_PARAMETER, "the created parameter is required");
        }
        String nonce = stringParam(params, "nonce");
        Instant now = clock.instant();
        Instant created = Instant.ofEpochSecond(createdSeconds);
        if (created.isBefore(now.minus(MAX_SKEW))) {
            throw new SignatureException(SignatureException.Reason.STALE, "created lies more than 300 s in the past");
        }
        if (created.isAfter(now.plus(MAX_SKEW))) {
            throw new SignatureException(SignatureException.Reason.FUTURE, "created lies more than 300 s in the future");
        }
        if (params.get("expires") instanceof Long expires && Instant.ofEpochSecond(expires).isBefore(now)) {
            throw new SignatureException(SignatureException.Reason.STALE, "the signature has expired");
        }
        List<String> covered = input.items();
        requireCovered(covered, message, hasBody);

        List<byte[]> secrets = keys.secretsFor(keyId);
        if (secrets == null || secrets.isEmpty()) {
            throw new SignatureException(SignatureException.Reason.UNKNOWN_KEY, "unknown, revoked or expired access key");
        }
        String base = SignatureBase.build(message, covered, StructuredFields.serializeInnerList(covered, params));
        boolean matches = false;
        for (byte[] secret : secrets) {
            // every candidate is computed, so timing does not tell which secret (if any) matched
            matches |= MessageDigest.isEqual(hmac(secret, base), signature);
        }
        if (!matches) {
            throw new SignatureException(SignatureException.Reason.BAD_SIGNATURE, "the signature does not match the request");
        }
        // Only a valid signature may consume a nonce, or anyone could burn other clients' nonces.
        if (!nonces.firstUse(keyId, nonce, created.plus(MAX_SKEW).plus(MAX_SKEW))) {
            throw new SignatureException(SignatureException.Reason.REPLAYED_NONCE, "this nonce was already used");
        }
        return new Verified(keyId, label, List.copyOf(covered), created);
    }

    /** Signs a request: returns the {@code Signature-Input} and {@code Signature} header values to add. */
    public static Map<String, String> sign(SignedMessage message, String label, List<String> components, String keyId,
            byte[] secret, long createdEpochSeconds, String nonce) {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("created", createdEpochSeconds);
        params.put("keyid", keyId);
        if (nonce != null) {
            params.put("nonce", nonce);
        }
        params.put("alg", ALGORITHM);
        String serialized = StructuredFields.serializeInnerList(components, params);
        String base = SignatureBase.build(message, components, serialized);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Signature-Input", label + "=" + serialized);
        headers.put("Signature", label + "=:" + java.util.Base64.getEncoder().encodeToString(hmac(secret, base)) + ":");
        return headers;
    }

    /** The components every request signature must cover, for a message with or without body. */
    public static List<String> defaultComponents(boolean hasBody) {
        List<String> c = new ArrayList<>(List.of("@method", "@target-uri"));
        if (hasBody) {
            c.add("content-digest");
        }
        return c;
    }

    private static void requireCovered(List<String> covered, SignedMessage message, boolean hasBody) {
        if (!covered.contains("@method")) {
            throw notCovered("@method");
        }
        boolean target = covered.contains("@target-uri") || covered.contains("@request-target") && covered.contains("@authority")
                || covered.contains("@authority") && covered.contains("@path")
                        && (message.query() == null || covered.contains("@query"));
        if (!target) {
            throw notCovered("@target-uri (or @authority, @path and @query)");
        }
        if (hasBody && !covered.contains("content-digest")) {
            throw notCovered("content-digest");
        }
    }

    private static SignatureException notCovered(String what) {
        return new SignatureException(SignatureException.Reason.REQUIRED_COMPONENT_NOT_COVERED,
                "the signature must cover " + what);
    }

    private static String stringParam(Map<String, Object> params, String name) {
        Object v = params.get(name);
        if (!(v instanceof String s) || s.isEmpty()) {
            throw new SignatureException(SignatureException.Reason.MISSING_PARAMETER, "the " + name + " parameter is required");
        }
        return s;
    }

    static byte[] hmac(byte[] secret, String base) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(base.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    /** The secret as HMAC key bytes. */
    public static byte[] keyBytes(String secretKey) {
        return secretKey.getBytes(StandardCharsets.UTF_8);
    }

    /** A clock-based default for callers that do not inject one. */
    public static Clock systemClock() {
        return Clock.systemUTC();
    }
}
