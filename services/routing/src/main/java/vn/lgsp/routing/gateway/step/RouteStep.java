package vn.lgsp.routing.gateway.step;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;
import vn.lgsp.routing.gateway.GatewayExchange;
import vn.lgsp.routing.gateway.Step;
import vn.lgsp.routing.snapshot.domain.Route;
import vn.lgsp.routing.snapshot.domain.Upstream;

/**
 * 2. Route: {@code /{serviceCode}/{version}} to a published version (or a testing one, for test-environment
 * callers) with an upstream in the caller's environment; 404 otherwise, 410 once retired. Deprecated versions
 * still serve, announcing it with Deprecation (RFC 9745), Sunset (RFC 8594) and the successor's Link.
 */
@Singleton
public class RouteStep implements Step {

    @Override
    public Future<Void> apply(GatewayExchange exchange) {
        Route route = exchange.snapshot().routes().get(new Route.Key(exchange.serviceCode(), exchange.version()));
        String env = exchange.caller().environment();
        if (route == null || !route.offeredIn(env)) {
            return Future.failedFuture(notFound(exchange));
        }
        if (route.retired(Instant.now())) {
            return Future.failedFuture(new ProblemException(ProblemType.GONE, "Service " + exchange.serviceCode()
                    + " version " + exchange.version() + " has been retired"
                    + (route.successorLinkHeader() == null ? "" : "; see the Link header for its successor"),
                    List.of(), route.successorLinkHeader() == null ? Map.of() : Map.of("Link", route.successorLinkHeader())));
        }
        Upstream upstream = route.upstreams().get(env);
        if (upstream == null) {
            return Future.failedFuture(new ProblemException(ProblemType.SERVICE_NOT_FOUND, "Service "
                    + exchange.serviceCode() + " version " + exchange.version() + " is not offered in the " + env
                    + " environment"));
        }
        exchange.route(route, upstream);
        HttpServerResponse response = exchange.response();
        if (route.deprecationHeader() != null) {
            response.putHeader("Deprecation", route.deprecationHeader());
        }
        if (route.sunsetHeader() != null) {
            response.putHeader("Sunset", route.sunsetHeader());
        }
        if (route.successorLinkHeader() != null) {
            response.putHeader("Link", route.successorLinkHeader());
        }
        return Step.proceed();
    }

    private static ProblemException notFound(GatewayExchange exchange) {
        return new ProblemException(ProblemType.SERVICE_NOT_FOUND, "No published service " + exchange.serviceCode()
                + " version " + exchange.version() + " is available to you");
    }
}
