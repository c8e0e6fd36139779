package vn.lgsp.auth.signature.service;

import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import vn.lgsp.auth.credential.domain.Credential;
import vn.lgsp.auth.signature.repository.HmacFeedRepository;

/**
 * The hmac-keys feed for the gateway. Its revision changes when the listed content changes — including when a
 * credential or a rotation overlap expires, which no write announces: see {@link HmacFeedRepository#revisionFor}.
 */
@ApplicationScoped
public class HmacKeyFeed {

    @Inject
    HmacFeedRepository repository;

    @Inject
    HmacKeys keys;

    /**
     * One entry per access key. Rotation keeps the access key: during the overlap the previous secret travels in
     * {@code previousSecretKey} until {@code previousValidUntil}, and a signature made with either is valid.
     */
    public record Entry(String accessKey, String secretKey, String systemCode, String agencyCode, String environment,
            Instant expiresAt, String previousSecretKey, Instant previousValidUntil) {
    }

    public record Feed(long revision, List<Entry> keys) {
    }

    /** The current revision and the credentials behind it; secrets are decrypted only by {@link #feed}. */
    public record Snapshot(long revision, List<Credential> credentials, Instant at) {
    }

    public Uni<Snapshot> snapshot() {
        return repository.activeHmac().chain(list -> {
            Instant now = Instant.now();
            return repository.revisionFor(fingerprint(list, now)).map(revision -> new Snapshot(revision, list, now));
        });
    }

    public Feed feed(Snapshot s) {
        List<Entry> out = new ArrayList<>();
        for (Credential c : s.credentials()) {
            HmacKeys.Key key = keys.decrypt(c, s.at());
            boolean overlap = key.secrets().size() > 1;
            out.add(new Entry(c.clientId(), new String(key.secrets().get(0), StandardCharsets.UTF_8), c.systemCode(),
                    c.agencyCode(), c.environment(), c.expiresAt(),
                    overlap ? new String(key.secrets().get(1), StandardCharsets.UTF_8) : null,
                    overlap ? earliest(c.previousValidUntil(), c.expiresAt()) : null));
        }
        return new Feed(s.revision(), out);
    }

    /** A digest of what the feed lists, from metadata only (never secrets). */
    static String fingerprint(List<Credential> credentials, Instant now) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Credential c : credentials) {
                String line = c.id() + "|" + c.clientId() + "|" + c.rotatedAt() + "|" + c.expiresAt() + "|"
                        + (c.previousSecretValid(now) ? c.previousValidUntil() : "-") + "|" + c.systemCode() + "|"
                        + c.agencyCode() + "|" + c.environment() + "\n";
                md.update(line.getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Instant earliest(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isBefore(b) ? a : b;
    }
}
