package vn.lgsp.auth.revocation.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import vn.lgsp.auth.config.AuthConfig;
import vn.lgsp.auth.revocation.repository.RevocationRepository;
import vn.lgsp.common.security.RevocationFeed;
import vn.lgsp.common.security.RevocationSource;

/**
 * auth enforces revocations on its own APIs from its own database, the same feed the other services read over
 * HTTP (it replaces libs' HttpRevocationSource here): one revision query per poll, the lists only when it moved.
 */
@ApplicationScoped
public class LocalRevocationSource implements RevocationSource {

    @Inject
    RevocationRepository repository;

    @Inject
    AuthConfig config;

    @Override
    public CompletionStage<RevocationFeed> fetch(long knownRevision) {
        return repository.revision().chain(revision -> revision == knownRevision
                ? io.smallrye.mutiny.Uni.createFrom().<RevocationFeed>nullItem()
                : repository.feed(Instant.now().minus(config.effectiveKeyOverlap())))
                .subscribeAsCompletionStage();
    }
}
