package vn.lgsp.common.security;

import java.util.concurrent.CompletionStage;

/**
 * Where {@link RevocationPoller} reads the revocations: auth's feed over HTTP ({@link HttpRevocationSource}) in
 * every service but auth, which reads its own database.
 */
public interface RevocationSource {

    /** The feed if its revision is not {@code knownRevision} (-1: none known yet), else null. */
    CompletionStage<RevocationFeed> fetch(long knownRevision);
}
