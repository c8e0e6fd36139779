package vn.lgsp.routing.gateway.step;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;
import vn.lgsp.routing.gateway.GatewayExchange;
import vn.lgsp.routing.gateway.Step;
import vn.lgsp.routing.snapshot.domain.MaintenanceWindow;

/**
 * 4. Maintenance: an announced {@code unavailable} maintenance window (REQUIREMENTS M8) covering this service (or
 * every service) in the caller's environment, in effect now → 503 {@code maintenance} with Retry-After until its
 * end (or the end of the windows that follow it without a break), instead of calling a provider that is down on purpose. After Entitle, so only the service's subscribers
 * learn of it; before Limit, so a refused call costs no quota. {@code degraded} windows are announced only.
 */
@Singleton
public class MaintenanceStep implements Step {

    private final LongSupplier millis;
    private final Counter refused;

    @Inject
    public MaintenanceStep(MeterRegistry meters) {
        this(System::currentTimeMillis, meters);
    }

    /** For tests: a controllable clock (epoch milliseconds). */
    public MaintenanceStep(LongSupplier millis, MeterRegistry meters) {
        this.millis = millis;
        // Counted apart because these 503s are planned: the chart's LgspGatewayServerErrors alert subtracts them.
        this.refused = Counter.builder("lgsp.gateway.maintenance.refused")
                .description("Calls refused (503) during an announced maintenance window").register(meters);
    }

    @Override
    public Future<Void> apply(GatewayExchange exchange) {
        // Most calls meet no window at all: one list check, no clock read, no allocation.
        if (exchange.snapshot().maintenance().isEmpty()) {
            return Step.proceed();
        }
        long now = millis.getAsLong();
        String environment = exchange.caller().environment();
        MaintenanceWindow window = exchange.snapshot().unavailable(exchange.serviceCode(), environment, now);
        if (window == null) {
            return Step.proceed();
        }
        refused.increment();
        return Future.failedFuture(refusal(exchange, window, now));
    }

    private static ProblemException refusal(GatewayExchange exchange, MaintenanceWindow window, long now) {
        Instant until = exchange.snapshot().availableAgain(window, exchange.serviceCode(), exchange.caller().environment());
        // Whole seconds, rounded up: a caller retrying after Retry-After finds the window over, not one second short.
        long retryAfter = Math.max(1, (until.toEpochMilli() - now + 999) / 1000);
        String what = window.serviceCodes().isEmpty() ? "Every service of the platform"
                : "Service " + exchange.serviceCode();
        String title = window.title() == null || window.title().isBlank() ? "" : " \"" + window.title() + "\"";
        return new ProblemException(ProblemType.MAINTENANCE, what + " is unavailable in the " + exchange.caller().environment()
                + " environment for the announced maintenance" + title + " until " + until
                + (until.equals(window.endsAt()) ? "" : " (further announced windows follow it without a break)"), List.of(),
                Map.of("Retry-After", Long.toString(retryAfter)));
    }
}
