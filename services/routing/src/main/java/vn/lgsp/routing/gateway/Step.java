package vn.lgsp.routing.gateway;

import io.vertx.core.Future;

/**
 * One step of the gateway pipeline. A step either enriches the {@link GatewayExchange} and lets the request go
 * on (a succeeded future; synchronous steps return the shared {@code Future.succeededFuture()}, which costs no
 * allocation) or ends it with a planned answer (a future failed with a {@code ProblemException}).
 */
public interface Step {

    Future<Void> apply(GatewayExchange exchange);

    /** Steps that must run even after an earlier step refused the request (recording it). */
    default boolean runsAfterRejection() {
        return false;
    }

    /** Shared continuation for synchronous steps. */
    static Future<Void> proceed() {
        return Future.succeededFuture();
    }
}
