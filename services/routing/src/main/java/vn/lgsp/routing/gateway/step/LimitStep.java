package vn.lgsp.routing.gateway.step;

import io.vertx.core.Future;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;
import vn.lgsp.routing.gateway.GatewayExchange;
import vn.lgsp.routing.gateway.Step;
import vn.lgsp.routing.limit.RateLimiter;
import vn.lgsp.routing.limit.RateLimiter.Decision;

/**
 * 5. Limit: the subscription's rate and daily quota; else 429 with Retry-After and the RateLimit-Policy /
 * RateLimit headers of draft-ietf-httpapi-ratelimit-headers.
 */
@Singleton
public class LimitStep implements Step {

    @Inject
    RateLimiter limiter;

    @Override
    public Future<Void> apply(GatewayExchange exchange) {
        Decision decision = limiter.acquire(exchange.subscription());
        if (decision.allowed()) {
            return Step.proceed();
        }
        return Future.failedFuture(new ProblemException(ProblemType.RATE_LIMITED, decision.reason(), List.of(),
                Map.of("Retry-After", Long.toString(decision.retryAfterSeconds()),
                        "RateLimit-Policy", decision.policy(),
                        "RateLimit", decision.state())));
    }
}
