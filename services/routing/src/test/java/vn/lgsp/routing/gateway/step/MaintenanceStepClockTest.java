package vn.lgsp.routing.gateway.step;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;
import vn.lgsp.routing.gateway.GatewayExchange;
import vn.lgsp.routing.identity.SystemIdentity;
import vn.lgsp.routing.snapshot.domain.MaintenanceWindow;
import vn.lgsp.routing.snapshot.domain.Snapshot;

/**
 * The maintenance step against a clock the test sets: a window's edges (start inclusive, end exclusive), Retry-After
 * to the end in whole seconds rounded up, and which window of several is answered. Calls through the real gateway:
 * MaintenanceStepTest.
 */
class MaintenanceStepClockTest {

    private static final Instant START = Instant.parse("2026-11-29T17:00:00Z");
    private static final Instant END = Instant.parse("2026-11-29T21:00:00Z");

    private final AtomicLong now = new AtomicLong();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final MaintenanceStep step = new MaintenanceStep(now::get, meters);

    private static MaintenanceWindow window(String id, Set<String> codes, String environment, boolean unavailable,
            Instant startsAt, Instant endsAt) {
        return new MaintenanceWindow(id, "Nâng cấp " + id, codes, environment, unavailable, startsAt, endsAt);
    }

    /** A call of {@code serviceCode} v1 by a production system, as the steps before this one leave it. */
    private static GatewayExchange call(String serviceCode, String environment, MaintenanceWindow... windows) {
        Snapshot snapshot = Snapshot.EMPTY.withMaintenance(List.of(windows));
        GatewayExchange exchange = new GatewayExchange(null, snapshot, "req-1", serviceCode, "v1", "/x", -1, false);
        exchange.caller(new SystemIdentity("HTTT-MOTCUA", "000.00.00.H01", environment, "ck-HTTT-MOTCUA", "jti", 0));
        return exchange;
    }

    private ProblemException refused(GatewayExchange exchange) {
        double counted = meters.counter("lgsp.gateway.maintenance.refused").count();
        Future<Void> outcome = step.apply(exchange);
        assertTrue(outcome.failed(), "refused");
        assertEquals(counted + 1, meters.counter("lgsp.gateway.maintenance.refused").count(),
                "each refusal is counted, so the chart's 5xx alert can leave planned ones out");
        ProblemException problem = (ProblemException) outcome.cause();
        assertEquals(ProblemType.MAINTENANCE, problem.type());
        assertEquals(503, problem.type().status());
        return problem;
    }

    private void served(GatewayExchange exchange) {
        double counted = meters.counter("lgsp.gateway.maintenance.refused").count();
        assertTrue(step.apply(exchange).succeeded(), "served");
        assertEquals(counted, meters.counter("lgsp.gateway.maintenance.refused").count());
    }

    @Test
    void fromItsStartInclusiveToItsEndExclusive() {
        MaintenanceWindow w = window("csdl", Set.of("dan-cu"), "production", true, START, END);
        now.set(START.toEpochMilli() - 1);
        served(call("dan-cu", "production", w));
        now.set(START.toEpochMilli());
        ProblemException first = refused(call("dan-cu", "production", w));
        assertEquals(String.valueOf(4 * 3600), first.headers().get("Retry-After"));
        assertTrue(first.detail().contains("\"Nâng cấp csdl\""), first.detail());
        assertTrue(first.detail().contains("until 2026-11-29T21:00:00Z"), first.detail());
        assertTrue(first.detail().contains("Service dan-cu"), first.detail());
        now.set(END.toEpochMilli() - 1);
        assertEquals("1", refused(call("dan-cu", "production", w)).headers().get("Retry-After"),
                "a millisecond before the end: at least one second");
        now.set(END.toEpochMilli());
        served(call("dan-cu", "production", w));
    }

    @Test
    void retryAfterIsRoundedUpToWholeSeconds() {
        MaintenanceWindow w = window("csdl", Set.of("dan-cu"), null, true, START, END);
        now.set(END.toEpochMilli() - 90_500);
        assertEquals("91", refused(call("dan-cu", "production", w)).headers().get("Retry-After"));
        now.set(END.toEpochMilli() - 90_000);
        assertEquals("90", refused(call("dan-cu", "test", w)).headers().get("Retry-After"));
    }

    @Test
    void onlyAnUnavailableWindowForThisServiceAndEnvironmentRefuses() {
        now.set(START.plusSeconds(60).toEpochMilli());
        served(call("ho-tich", "production", window("a", Set.of("dan-cu"), "production", true, START, END)));
        served(call("dan-cu", "test", window("b", Set.of("dan-cu"), "production", true, START, END)));
        served(call("dan-cu", "production", window("c", Set.of("dan-cu"), "production", false, START, END)));
        served(call("dan-cu", "production", window("d", Set.of("dan-cu"), null, true, END, END.plusSeconds(60))));
        served(call("dan-cu", "production", window("e", Set.of("dan-cu"), null, true, START.minusSeconds(3600),
                START)));
        refused(call("dan-cu", "test", window("f", Set.of("ho-tich", "dan-cu"), null, true, START, END)));
    }

    @Test
    void aPlatformWideWindowRefusesEveryService() {
        MaintenanceWindow all = window("nen-tang", Set.of(), null, true, START, END);
        now.set(START.toEpochMilli());
        for (String code : List.of("dan-cu", "ho-tich", "dat-dai")) {
            ProblemException p = refused(call(code, "production", all));
            assertTrue(p.detail().startsWith("Every service of the platform"), p.detail());
        }
        refused(call("ho-tich", "test", all));
    }

    @Test
    void ofOverlappingWindowsTheOneEndingLastIsAnswered() {
        MaintenanceWindow shorter = window("ngan", Set.of("dan-cu"), null, true, START, END);
        MaintenanceWindow longer = window("dai", Set.of(), "production", true, START.plusSeconds(60),
                END.plusSeconds(3600));
        MaintenanceWindow degraded = window("cham", Set.of("dan-cu"), null, false, START, END.plusSeconds(7200));
        now.set(START.plusSeconds(120).toEpochMilli());
        ProblemException p = refused(call("dan-cu", "production", shorter, degraded, longer));
        assertTrue(p.detail().contains("Nâng cấp dai"), p.detail());
        assertEquals(String.valueOf(END.plusSeconds(3600).getEpochSecond() - START.plusSeconds(120).getEpochSecond()),
                p.headers().get("Retry-After"));
        // before the longer one starts only the shorter applies
        now.set(START.plusSeconds(30).toEpochMilli());
        assertTrue(refused(call("dan-cu", "production", shorter, degraded, longer)).detail().contains("Nâng cấp ngan"));
    }

    @Test
    void backToBackWindowsSendRetryAfterToTheEndOfTheLast() {
        MaintenanceWindow first = window("mot", Set.of("dan-cu"), null, true, START, END);
        MaintenanceWindow next = window("hai", Set.of(), "production", true, END, END.plusSeconds(1800));
        MaintenanceWindow overlapping = window("ba", Set.of("dan-cu"), null, true, END.plusSeconds(600), END.plusSeconds(3600));
        MaintenanceWindow later = window("bon", Set.of("dan-cu"), null, true, END.plusSeconds(3601), END.plusSeconds(7200));
        MaintenanceWindow degraded = window("nam", Set.of("dan-cu"), null, false, END.plusSeconds(3600), END.plusSeconds(9000));
        MaintenanceWindow elsewhere = window("sau", Set.of("ho-tich"), null, true, END.plusSeconds(3600), END.plusSeconds(9000));
        now.set(START.plusSeconds(60).toEpochMilli());
        ProblemException p = refused(call("dan-cu", "production", later, degraded, elsewhere, overlapping, next, first));
        // mot → hai (starts as it ends) → ba (starts inside hai); bon begins a second after: a gap, not followed
        assertEquals(String.valueOf(END.plusSeconds(3600).getEpochSecond() - START.plusSeconds(60).getEpochSecond()),
                p.headers().get("Retry-After"));
        assertTrue(p.detail().contains("until " + END.plusSeconds(3600)), p.detail());
        assertTrue(p.detail().contains("further announced windows follow"), p.detail());
        // In the test environment "hai" does not apply: the chain stops at the first window's end.
        ProblemException t = refused(call("dan-cu", "test", later, overlapping, next, first));
        assertEquals(String.valueOf(END.getEpochSecond() - START.plusSeconds(60).getEpochSecond()),
                t.headers().get("Retry-After"));
        assertFalse(t.detail().contains("further"), t.detail());
    }

    @Test
    void withoutWindowsTheClockIsNotEvenRead() {
        AtomicLong reads = new AtomicLong();
        MaintenanceStep counting = new MaintenanceStep(() -> {
            reads.incrementAndGet();
            return START.toEpochMilli();
        }, new SimpleMeterRegistry());
        assertTrue(counting.apply(call("dan-cu", "production")).succeeded());
        assertEquals(0, reads.get(), "the common case is one empty-list check");
        assertTrue(counting.apply(call("dan-cu", "production",
                window("x", Set.of("ho-tich"), null, true, START, END))).succeeded());
        assertEquals(1, reads.get());
    }

    @Test
    void snapshotLookupIgnoresWhatDoesNotApply() {
        Snapshot s = Snapshot.EMPTY.withMaintenance(List.of(window("x", Set.of("ho-tich"), "test", true, START, END)));
        long t = START.toEpochMilli();
        assertNotNull(s.unavailable("ho-tich", "test", t));
        assertEquals(null, s.unavailable("ho-tich", "production", t));
        assertEquals(null, s.unavailable("dan-cu", "test", t));
        assertFalse(s.maintenance().get(0).inEffectAt(END.toEpochMilli()));
    }
}
