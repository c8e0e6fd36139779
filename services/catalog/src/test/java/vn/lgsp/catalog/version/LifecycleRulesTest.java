package vn.lgsp.catalog.version;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import vn.lgsp.catalog.version.domain.LifecycleRules;
import vn.lgsp.catalog.version.domain.VersionStatus;
import vn.lgsp.common.problem.ProblemException;

/** The date rules at, just inside and just outside each limit (limits are inclusive). */
class LifecycleRulesTest {

    private static final Instant PUBLISHED = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @Test
    void sunsetExactly180DaysAfterSuccessorIsAccepted() {
        assertDoesNotThrow(() -> LifecycleRules.checkSunset(PUBLISHED.plus(Duration.ofDays(180)), PUBLISHED));
    }

    @Test
    void sunsetOneSecondLaterThanTheLimitIsAccepted() {
        assertDoesNotThrow(() -> LifecycleRules.checkSunset(PUBLISHED.plus(Duration.ofDays(180)).plusSeconds(1), PUBLISHED));
    }

    @Test
    void sunsetOneSecondInsideTheWindowIsRefusedNamingTheRule() {
        ProblemException e = assertThrows(ProblemException.class,
                () -> LifecycleRules.checkSunset(PUBLISHED.plus(Duration.ofDays(180)).minusSeconds(1), PUBLISHED));
        assertEquals(400, e.type().status());
        assertEquals("sunsetAt", e.errors().get(0).field());
        assertEquals("minOverlap180Days", e.errors().get(0).rule());
    }

    @Test
    void sunsetIsRequiredToDeprecate() {
        ProblemException e = assertThrows(ProblemException.class, () -> LifecycleRules.checkSunset(null, PUBLISHED));
        assertEquals("required", e.errors().get(0).rule());
    }

    @Test
    void noticeExactly60DaysAheadIsAccepted() {
        assertDoesNotThrow(() -> LifecycleRules.checkNotice(NOW.plus(Duration.ofDays(60)), NOW, null));
        assertDoesNotThrow(() -> LifecycleRules.checkNotice(NOW.plus(Duration.ofDays(60)).plusSeconds(1), NOW, null));
    }

    @Test
    void noticeOneSecondShortOf60DaysIsRefused() {
        ProblemException e = assertThrows(ProblemException.class,
                () -> LifecycleRules.checkNotice(NOW.plus(Duration.ofDays(60)).minusSeconds(1), NOW, null));
        assertEquals("retireAt", e.errors().get(0).field());
        assertEquals("minNotice60Days", e.errors().get(0).rule());
    }

    @Test
    void retirementBeforeTheSunsetIsRefused() {
        Instant sunset = NOW.plus(Duration.ofDays(200));
        ProblemException e = assertThrows(ProblemException.class,
                () -> LifecycleRules.checkNotice(NOW.plus(Duration.ofDays(100)), NOW, sunset));
        assertEquals("notBeforeSunset", e.errors().get(0).rule());
        assertDoesNotThrow(() -> LifecycleRules.checkNotice(sunset, NOW, sunset));
    }

    @Test
    void retiringNeedsANoticeAndItsDate() {
        Instant retireAt = NOW.plus(Duration.ofDays(60));
        assertEquals("retirementNoticeRequired",
                assertThrows(ProblemException.class, () -> LifecycleRules.checkRetire(null, NOW)).errors().get(0).rule());
        ProblemException early = assertThrows(ProblemException.class,
                () -> LifecycleRules.checkRetire(retireAt, retireAt.minusSeconds(1)));
        assertEquals(409, early.type().status());
        assertEquals("retireAtNotReached", early.errors().get(0).rule());
        assertDoesNotThrow(() -> LifecycleRules.checkRetire(retireAt, retireAt));
        assertDoesNotThrow(() -> LifecycleRules.checkRetire(retireAt, retireAt.plusSeconds(1)));
    }

    @Test
    void onlyTheDocumentedTransitionsAreAllowed() {
        assertTrue(LifecycleRules.allowed(VersionStatus.DRAFT, VersionStatus.TESTING));
        assertTrue(LifecycleRules.allowed(VersionStatus.TESTING, VersionStatus.DRAFT));
        assertTrue(LifecycleRules.allowed(VersionStatus.TESTING, VersionStatus.PUBLISHED));
        assertTrue(LifecycleRules.allowed(VersionStatus.PUBLISHED, VersionStatus.DEPRECATED));
        assertTrue(LifecycleRules.allowed(VersionStatus.DEPRECATED, VersionStatus.RETIRED));
        assertFalse(LifecycleRules.allowed(VersionStatus.DRAFT, VersionStatus.PUBLISHED));
        assertFalse(LifecycleRules.allowed(VersionStatus.PUBLISHED, VersionStatus.RETIRED));
        assertFalse(LifecycleRules.allowed(VersionStatus.RETIRED, VersionStatus.PUBLISHED));
        assertFalse(LifecycleRules.allowed(VersionStatus.DEPRECATED, VersionStatus.PUBLISHED));
        assertEquals(409, assertThrows(ProblemException.class,
                () -> LifecycleRules.requireAllowed(VersionStatus.DRAFT, VersionStatus.PUBLISHED)).type().status());
    }
}
