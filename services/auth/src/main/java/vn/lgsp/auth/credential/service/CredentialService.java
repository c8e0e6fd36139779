package vn.lgsp.auth.credential.service;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import vn.lgsp.auth.credential.domain.Credential;
import vn.lgsp.auth.credential.repository.CredentialRepository;
import vn.lgsp.auth.crypto.MasterKey;
import vn.lgsp.auth.crypto.Passwords;
import vn.lgsp.common.problem.ProblemException;

/**
 * Issues, rotates and revokes credentials. A new secret exists in clear only in the response that creates it:
 * the client secret is stored as a PBKDF2 hash, the HMAC secret key encrypted under the master key.
 */
@ApplicationScoped
public class CredentialService {

    /** 256-bit secrets: far beyond what any throttled guessing could reach. */
    private static final int SECRET_BYTES = 32;

    @Inject
    CredentialRepository repository;

    @Inject
    Passwords passwords;

    @Inject
    MasterKey masterKey;

    /** Resolved hmac secrets are cached briefly; a change made here must not wait for the cache to expire. */
    @Inject
    vn.lgsp.auth.signature.service.HmacKeys hmacKeys;

    /** A credential together with the secret that was just made (null on reads). */
    public record Issued(Credential credential, String secret) {
    }

    public Uni<Issued> create(String systemCode, String agencyCode, String environment, String kind, Instant expiresAt,
            String actor) {
        UUID id = UUID.randomUUID();
        boolean hmac = Credential.HMAC.equals(kind);
        String clientId = passwords.randomToken(hmac ? "ak_" : "ck_", 16);
        String secret = passwords.randomToken(hmac ? "sk_" : "cs_", SECRET_BYTES);
        return Uni.createFrom().item(() -> {
            String hash = hmac ? null : passwords.hash(secret);
            byte[] enc = hmac ? masterKey.encrypt(secret.getBytes(StandardCharsets.UTF_8), Credential.aad(id)) : null;
            return new Credential(id, systemCode, agencyCode, environment, kind, clientId, hash, enc, null, null, null,
                    Credential.ACTIVE, Instant.now(), expiresAt, null, null, actor);
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(repository::insert)
                .map(saved -> new Issued(saved, secret));
    }

    public Uni<Issued> rotate(UUID id, Duration overlap) {
        return repository.findById(id).chain(existing -> {
            if (existing == null) {
                throw ProblemException.notFound("Credential " + id);
            }
            if (!existing.usable(Instant.now())) {
                throw ProblemException.illegalTransition(existing.effectiveStatus(Instant.now()), "rotated");
            }
            boolean hmac = Credential.HMAC.equals(existing.kind());
            String secret = passwords.randomToken(hmac ? "sk_" : "cs_", SECRET_BYTES);
            return Uni.createFrom().item(() -> hmac
                    ? new Object[] { null, masterKey.encrypt(secret.getBytes(StandardCharsets.UTF_8), Credential.aad(id)) }
                    : new Object[] { passwords.hash(secret), null })
                    .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                    .chain(pair -> repository.rotate(id, (String) pair[0], (byte[]) pair[1], Instant.now().plus(overlap)))
                    .map(rotated -> {
                        if (rotated == null) {
                            throw ProblemException.conflict("The credential was revoked or expired while rotating");
                        }
                        hmacKeys.invalidate(rotated.clientId());
                        return new Issued(rotated, secret);
                    });
        });
    }

    public Uni<Credential> revoke(UUID id) {
        return repository.revoke(id).map(c -> {
            if (c == null) {
                throw ProblemException.notFound("Credential " + id);
            }
            hmacKeys.invalidate(c.clientId());
            return c;
        });
    }

    public Uni<List<Credential>> revokeAll(String systemCode, String environment) {
        return repository.revokeAll(systemCode, environment).invoke(list -> list.forEach(c -> hmacKeys.invalidate(c.clientId())));
    }
}
