package vn.lgsp.routing.gateway.step;

import static vn.lgsp.common.text.Texts.clip;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerResponse;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;
import vn.lgsp.common.audit.AuditEvent;
import vn.lgsp.common.id.Uuids;
import vn.lgsp.routing.gateway.AuditGate;
import vn.lgsp.routing.gateway.GatewayExchange;
import vn.lgsp.routing.gateway.Step;
import vn.lgsp.routing.identity.SystemIdentity;
import vn.lgsp.routing.snapshot.domain.Route;

/**
 * 8. Record: once the answer is complete, one transaction event for the audit log — who called what, how it
 * went, timings, sizes and body hashes, never the payload — handed to the non-blocking batching publisher.
 * Refused calls are recorded too (with the problem slug as errorType).
 */
@Singleton
public class RecordStep implements Step {

    private static final Logger LOG = Logger.getLogger(RecordStep.class);
    /** Status recorded when the caller left before any answer (nginx's convention). */
    static final int CLIENT_CLOSED = 499;

    @Inject
    AuditGate auditGate;

    private final AtomicLong lost = new AtomicLong();

    @Override
    public boolean runsAfterRejection() {
        return true;
    }

    @Override
    public Future<Void> apply(GatewayExchange exchange) {
        // Only admitted calls get here (AuditGate counted their record's place), so the gate hands it over.
        if (!auditGate.record(event(exchange))) {
            // Only reachable with lgsp.routing.refuse-when-audit-unavailable=false; log rarely, never per call.
            long n = lost.incrementAndGet();
            if (n == 1 || n % 1000 == 0) {
                LOG.errorf("Audit buffer full: %d transaction records could not be queued", n);
            }
        }
        return Step.proceed();
    }

    static AuditEvent event(GatewayExchange exchange) {
        SystemIdentity caller = exchange.caller();
        Route route = exchange.route();
        HttpServerResponse response = exchange.response();
        int status = !response.headWritten() && "client-closed".equals(exchange.errorType()) ? CLIENT_CLOSED
                : response.getStatusCode();
        long responseBytes = exchange.responseSha256() != null ? exchange.responseBytes() : response.bytesWritten();
        // audit validates a batch all-or-nothing: one oversized value would block the backlog, so free text is clipped
        // to audit's column sizes
        return new AuditEvent(Uuids.fastRandom(), AuditEvent.TRANSACTION, exchange.startedAt(), "routing",
                exchange.requestId(), traceId(exchange),
                caller == null ? null : clip(caller.system(), 64), clip(exchange.consumerAgency(), 16),
                route == null ? null : route.providerSystem(), route == null ? null : route.providerAgency(),
                clip(exchange.serviceCode(), 64), clip(exchange.version(), 8),
                caller == null ? null : caller.environment(), exchange.request().method().name(),
                clip(exchange.path(), 512), status, exchange.latencyMs(), exchange.upstreamLatencyMs(),
                exchange.requestBytes(), responseBytes, exchange.requestSha256(), exchange.responseSha256(),
                caller == null ? null : clip(caller.clientId(), 128), exchange.errorType(),
                null, null, null, null, null, null, null, null);
    }

    private static String traceId(GatewayExchange exchange) {
        if (exchange.traceId() != null) {
            return exchange.traceId();
        }
        SpanContext span = Span.current().getSpanContext();
        if (span.isValid()) {
            return span.getTraceId();
        }
        String incoming = exchange.request().getHeader("traceparent");
        return incoming != null && incoming.length() == 55 ? incoming.substring(3, 35) : null;
    }

}
