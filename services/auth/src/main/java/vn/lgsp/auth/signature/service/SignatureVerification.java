package vn.lgsp.auth.signature.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import vn.lgsp.auth.signature.repository.NonceRepository;
import vn.lgsp.common.httpsig.HttpSignatures;
import vn.lgsp.common.httpsig.SignatureException;
import vn.lgsp.common.httpsig.SignatureException.Reason;
import vn.lgsp.common.httpsig.SignedMessage;

/**
 * Verifies an RFC 9421 signed request on behalf of a provider, with the very verifier the gateway runs
 * ({@link HttpSignatures#verify}). The library's key and nonce callbacks are synchronous while keys and nonces live
 * in the database, so verification runs in passes: the first learns the key id (every check before key lookup runs
 * for real), the key is loaded, the second checks the HMAC with each usable secret and records the nonce it would
 * consume; only when everything else holds is the nonce written — a bad signature never burns a client's nonce.
 */
@ApplicationScoped
public class SignatureVerification {

    @Inject
    HmacKeys keys;

    @Inject
    NonceRepository nonces;

    Clock clock = Clock.systemUTC();

    /** The outcome: either the verified key with its credential, or the refusal. */
    public record Outcome(HttpSignatures.Verified verified, HmacKeys.Key key, String contentDigest, SignatureException failure,
            String keyId) {
        public boolean valid() {
            return failure == null;
        }
    }

    private record Nonce(String keyId, String nonce, Instant forgetAfter) {
    }

    /**
     * @param bodySha256 the SHA-256 of the body the provider received (decoded), or null
     * @param providerCheckedDigest the provider checked Content-Digest against the body itself
     */
    public Uni<Outcome> verify(SignedMessage message, byte[] bodySha256, boolean providerCheckedDigest) {
        boolean hasBody = bodySha256 != null || providerCheckedDigest;
        AtomicReference<String> keyId = new AtomicReference<>();
        try {
            HttpSignatures.verify(message, hasBody, id -> {
                keyId.set(id);
                return List.of();
            }, (k, n, t) -> true, clock);
            throw new IllegalStateException("verification cannot succeed without a key");
        } catch (SignatureException e) {
            if (e.reason() != Reason.UNKNOWN_KEY || keyId.get() == null) {
                return Uni.createFrom().item(failed(e, keyId.get() != null ? keyId.get() : claimedKeyId(message)));
            }
        }
        String id = keyId.get();
        return keys.find(id).chain(key -> {
            List<byte[]> secrets = key == null ? List.of() : key.secretsAt(clock.instant());
            if (secrets.isEmpty()) {
                return Uni.createFrom().item(failed(new SignatureException(Reason.UNKNOWN_KEY,
                        "unknown, revoked or expired access key"), id));
            }
            AtomicReference<Nonce> nonce = new AtomicReference<>();
            HttpSignatures.Verified verified;
            try {
                // the nonce is only noted here and consumed below in the database, shared by every replica
                verified = HttpSignatures.verify(message, hasBody, k -> secrets, (k, n, t) -> {
                    nonce.set(new Nonce(k, n, t));
                    return true;
                }, clock);
            } catch (SignatureException e) {
                return Uni.createFrom().item(failed(e, id, key));
            }
            String digest;
            try {
                digest = checkDigest(message, verified.components(), bodySha256, providerCheckedDigest);
            } catch (SignatureException e) {
                return Uni.createFrom().item(failed(e, id, key));
            }
            HttpSignatures.Verified ok = verified;
            Nonce n = nonce.get();
            return nonces.firstUse(n.keyId(), n.nonce(), n.forgetAfter()).map(first -> first
                    ? new Outcome(ok, key, digest, null, id)
                    : failed(new SignatureException(Reason.REPLAYED_NONCE, "this nonce was already used"), id, key));
        });
    }

    /**
     * The body never reaches auth: when the signature covers content-digest, the header's sha-256 must equal the
     * digest of the body the provider received. Returns how the body is bound to the signature.
     */
    static String checkDigest(SignedMessage message, List<String> covered, byte[] bodySha256, boolean providerChecked) {
        if (!covered.contains("content-digest")) {
            return "not_covered";
        }
        if (bodySha256 == null) {
            return providerChecked ? "checked_by_provider" : "unchecked";
        }
        byte[] claimed = sha256Member(String.join(", ", message.header("content-digest")));
        if (claimed == null) {
            throw new SignatureException(Reason.UNSUPPORTED_ALGORITHM,
                    "Content-Digest carries no sha-256 member, which is what bodySha256 can be compared with");
        }
        if (!MessageDigest.isEqual(claimed, bodySha256)) {
            throw new SignatureException(Reason.DIGEST_MISMATCH, "Content-Digest does not match the body");
        }
        return "verified";
    }

    /** The sha-256 member of an RFC 8941 dictionary like {@code sha-256=:…:, sha-512=:…:}; null when absent or not bytes. */
    static byte[] sha256Member(String header) {
        for (String member : header.split(",")) {
            String m = member.strip();
            int semi = m.indexOf(';');
            if (semi >= 0) {
                m = m.substring(0, semi).strip();
            }
            if (m.startsWith("sha-256=:") && m.endsWith(":") && m.length() > "sha-256=::".length() - 1) {
                try {
                    return Base64.getDecoder().decode(m.substring("sha-256=:".length(), m.length() - 1));
                } catch (IllegalArgumentException e) {
                    throw new SignatureException(Reason.MALFORMED, "Content-Digest sha-256 is not base64");
                }
            }
        }
        return null;
    }

    private static final java.util.regex.Pattern KEYID = java.util.regex.Pattern.compile(";\\s*keyid=\"([A-Za-z0-9_.~-]{1,64})\"");

    /** The access key a refused request claims to be signed with, for the audit trail only (never trusted). */
    static String claimedKeyId(SignedMessage message) {
        java.util.regex.Matcher m = KEYID.matcher(String.join(", ", message.header("signature-input")));
        return m.find() ? m.group(1) : null;
    }

    private static Outcome failed(SignatureException e, String keyId) {
        return failed(e, keyId, null);
    }

    private static Outcome failed(SignatureException e, String keyId, HmacKeys.Key key) {
        return new Outcome(null, key, null, e, keyId);
    }
}
