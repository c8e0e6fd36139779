package vn.lgsp.common.security;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The revocations this service enforces on the tokens presented to its own APIs, as last read from auth's feed
 * ({@link RevocationPoller}; in routing, the snapshot loader that polls the same feed). Read on every
 * authenticated request, so it is one immutable state swapped whole: lookups take no lock.
 */
@ApplicationScoped
public class RevokedTokens {

    private record State(long revision, Set<String> clientIds, Set<String> tokenIds, Map<String, Long> subjects,
            Instant checkedAt) {
    }

    private volatile State state = new State(-1, Set.of(), Set.of(), Map.of(), null);

    /** Takes a new feed document in whole. */
    public void apply(RevocationFeed feed) {
        Map<String, Long> subjects = new HashMap<>();
        for (RevocationFeed.RevokedSubject s : list(feed.revokedSubjects())) {
            if (s != null && s.subject() != null) {
                subjects.merge(s.subject(), s.issuedAtOrBefore(), Math::max);
            }
        }
        state = new State(feed.revision(), Set.copyOf(list(feed.revokedClientIds())), Set.copyOf(list(feed.revokedTokenIds())),
                Map.copyOf(subjects), Instant.now());
    }

    /** The feed was asked and had not changed. */
    public void checked() {
        State s = state;
        state = new State(s.revision(), s.clientIds(), s.tokenIds(), s.subjects(), Instant.now());
    }

    /** The revision last applied; -1 before the first. */
    public long revision() {
        return state.revision();
    }

    /** When the feed last answered (changed or not); null if it never did. */
    public Instant checkedAt() {
        return state.checkedAt();
    }

    /**
     * Whether a token with these claims is revoked: its own id, its credential (system tokens carry
     * {@code client_id}), or, for a token without a credential (an admin's), every token of its subject up to a
     * second. Service tokens are never listed.
     */
    public boolean isRevoked(String jti, String clientId, String subject, long issuedAt) {
        State s = state;
        if (jti != null && s.tokenIds().contains(jti)) {
            return true;
        }
        if (clientId != null) {
            return s.clientIds().contains(clientId);
        }
        Long upTo = subject == null ? null : s.subjects().get(subject);
        return upTo != null && issuedAt <= upTo;
    }

    private static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l.stream().filter(java.util.Objects::nonNull).toList();
    }
}
