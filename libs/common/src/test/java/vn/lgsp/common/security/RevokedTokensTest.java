package vn.lgsp.common.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import vn.lgsp.common.security.RevocationFeed.RevokedSubject;

class RevokedTokensTest {

    private static RevokedTokens with(RevocationFeed feed) {
        RevokedTokens r = new RevokedTokens();
        r.apply(feed);
        return r;
    }

    @Test
    void nothingIsRevokedBeforeTheFirstFeed() {
        RevokedTokens r = new RevokedTokens();
        assertEquals(-1, r.revision());
        assertNull(r.checkedAt());
        assertFalse(r.isRevoked("jti-1", null, "alice", 100));
    }

    @Test
    void aTokenIdIsRevokedWhateverItCarries() {
        RevokedTokens r = with(new RevocationFeed(3, List.of(), List.of("jti-1"), List.of()));
        assertTrue(r.isRevoked("jti-1", null, "alice", 100));
        assertTrue(r.isRevoked("jti-1", "ck_a", "SYS", 100));
        assertFalse(r.isRevoked("jti-2", null, "alice", 100));
        assertEquals(3, r.revision());
        assertNotNull(r.checkedAt());
    }

    @Test
    void aCredentialRevokesEveryTokenIssuedToIt() {
        RevokedTokens r = with(new RevocationFeed(1, List.of("ck_a"), List.of(), List.of()));
        assertTrue(r.isRevoked("x", "ck_a", "SYS", 100));
        assertFalse(r.isRevoked("x", "ck_b", "SYS", 100));
    }

    @Test
    void aSubjectRevokesItsTokensIssuedUpToAndIncludingTheSecondOnly() {
        RevokedTokens r = with(new RevocationFeed(1, List.of(), List.of(), List.of(new RevokedSubject("alice", 1000))));
        assertTrue(r.isRevoked("x", null, "alice", 999));
        assertTrue(r.isRevoked("x", null, "alice", 1000));
        assertFalse(r.isRevoked("x", null, "alice", 1001), "issued after the revocation");
        assertFalse(r.isRevoked("x", null, "bob", 999));
    }

    @Test
    void aSystemTokenIsJudgedByItsCredentialNotByAnAdminOfTheSameName() {
        RevokedTokens r = with(new RevocationFeed(1, List.of(), List.of(), List.of(new RevokedSubject("alice", 1000))));
        assertFalse(r.isRevoked("x", "ck_alice", "alice", 999));
    }

    @Test
    void missingListsAndEntriesAreEmptyAndTheLatestRevocationOfASubjectWins() {
        RevokedTokens r = with(new RevocationFeed(2, null, null, Arrays.asList(null, new RevokedSubject(null, 5),
                new RevokedSubject("alice", 1000), new RevokedSubject("alice", 2000))));
        assertTrue(r.isRevoked("x", null, "alice", 1500));
        assertFalse(r.isRevoked("x", "ck", "SYS", 1));
    }

    @Test
    void aNewFeedReplacesTheOldOneWhole() {
        RevokedTokens r = with(new RevocationFeed(1, List.of("ck_a"), List.of("jti-1"), List.of()));
        r.apply(new RevocationFeed(2, List.of(), List.of(), List.of()));
        assertFalse(r.isRevoked("jti-1", "ck_a", "SYS", 1), "lists are snapshots, not deltas");
    }
}
