package vn.lgsp.routing.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZonedDateTime;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import vn.lgsp.common.time.ProvinceCalendar;
import vn.lgsp.routing.limit.RateLimiter.Decision;
import vn.lgsp.routing.snapshot.domain.Subscription;

class LocalRateLimiterTest {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    // 23:59:58 in Hanoi
    private final AtomicLong millis = new AtomicLong(
            ZonedDateTime.of(2026, 11, 23, 23, 59, 58, 0, ProvinceCalendar.ZONE).toInstant().toEpochMilli());
    private final LocalRateLimiter limiter = new LocalRateLimiter(nanos::get, millis::get);

    private static Subscription sub(Integer rps, Integer burst, Long quota) {
        return new Subscription("s1", "ho-tich", "v1", "SYS", "000.00.00.H01", "production", rps, burst, quota);
    }

    @Test
    void burstThenRefillAtTheConfiguredRate() {
        Subscription s = sub(2, 4, null);
        for (int i = 0; i < 4; i++) {
            assertTrue(limiter.acquire(s).allowed(), "call " + i + " is within the burst");
        }
        Decision refused = limiter.acquire(s);
        assertFalse(refused.allowed());
        assertEquals(1, refused.retryAfterSeconds());
        assertEquals("\"rate\";q=2;w=1;burst=4", refused.policy());
        nanos.addAndGet(500_000_000L); // half a second at 2/s = one token
        assertTrue(limiter.acquire(s).allowed());
        assertFalse(limiter.acquire(s).allowed());
    }

    @Test
    void theDailyQuotaResetsAtMidnightInVietnam() {
        Subscription s = sub(null, null, 2L);
        assertTrue(limiter.acquire(s).allowed());
        assertTrue(limiter.acquire(s).allowed());
        Decision refused = limiter.acquire(s);
        assertFalse(refused.allowed());
        assertEquals(2, refused.retryAfterSeconds(), "two seconds to midnight");
        assertTrue(refused.state().startsWith("\"daily\";r=0"));
        millis.addAndGet(3000);
        assertTrue(limiter.acquire(s).allowed(), "a new day, a new quota");
    }

    @Test
    void noLimitsMeansAlwaysAllowed() {
        Subscription s = sub(null, null, null);
        for (int i = 0; i < 1000; i++) {
            assertTrue(limiter.acquire(s).allowed());
        }
    }

    @Test
    void withThreeReplicasEachAllowsAThirdOfTheRateAndBurst() {
        limiter.replicas(3);
        Subscription s = sub(6, 6, null);
        assertTrue(limiter.acquire(s).allowed());
        assertTrue(limiter.acquire(s).allowed());
        assertFalse(limiter.acquire(s).allowed(), "a burst of 6 shared by 3 replicas is 2 here");
        nanos.addAndGet(500_000_000L); // half a second at 6/3 = 2 per second: one token
        assertTrue(limiter.acquire(s).allowed());
        assertFalse(limiter.acquire(s).allowed());
    }

    @Test
    void callsOtherReplicasLetThroughCountAgainstTheDailyQuota() {
        Subscription s = sub(null, null, 10L);
        assertTrue(limiter.acquire(s).allowed());
        assertEquals(java.util.Map.of("s1", 1L), limiter.usedToday());
        limiter.othersToday(limiter.today(), java.util.Map.of("s1", 8L));
        assertTrue(limiter.acquire(s).allowed(), "1 here + 8 elsewhere + this one = 10");
        assertFalse(limiter.acquire(s).allowed(), "the quota of 10 is used up across the cluster");
        millis.addAndGet(3000);
        assertTrue(limiter.acquire(s).allowed(), "yesterday's counts from elsewhere do not carry into a new day");
    }
}
