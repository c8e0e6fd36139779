package vn.lgsp.routing.gateway.step;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import vn.lgsp.common.web.RequestIds;
import vn.lgsp.routing.assertion.AssertionSigner;
import vn.lgsp.routing.gateway.GatewayExchange;
import vn.lgsp.routing.gateway.HopByHop;
import vn.lgsp.routing.gateway.Step;
import vn.lgsp.routing.identity.SystemIdentity;

/**
 * 5. Transform: the headers the provider receives. The caller's credentials and hop-by-hop headers never
 * leave the gateway; the provider gets the request id, W3C trace context, forwarding information and the signed
 * gateway assertion instead.
 */
@ApplicationScoped
public class TransformStep implements Step {

    /** Credentials, and headers the gateway sets itself (a caller must not forge them). */
    static final Set<String> STRIPPED = Set.of("authorization", "signature", "signature-input", "cookie", "host",
            "expect", "x-request-id", "traceparent", "x-lgsp-gateway-assertion", "x-forwarded-for", "forwarded");
    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
    private static final String INVALID_TRACE = "00000000000000000000000000000000";

    @Inject
    AssertionSigner assertions;

    @Override
    public Future<Void> apply(GatewayExchange exchange) {
        HttpServerRequest request = exchange.request();
        MultiMap in = request.headers();
        Set<String> namedInConnection = HopByHop.namedIn(in);
        MultiMap out = MultiMap.caseInsensitiveMultiMap();
        String priorForwardedFor = null;
        String priorForwarded = null;
        for (Map.Entry<String, String> header : in) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("x-forwarded-for")) {
                priorForwardedFor = priorForwardedFor == null ? header.getValue() : priorForwardedFor + ", " + header.getValue();
            } else if (name.equals("forwarded")) {
                priorForwarded = priorForwarded == null ? header.getValue() : priorForwarded + ", " + header.getValue();
            }
            if (STRIPPED.contains(name) || HopByHop.is(name) || namedInConnection.contains(name)) {
                continue;
            }
            out.add(header.getKey(), header.getValue());
        }
        out.set(RequestIds.HEADER, exchange.requestId());
        out.set("traceparent", traceparent(exchange, in.get("traceparent")));

        SocketAddress remote = request.remoteAddress();
        String client = remote == null ? "unknown" : remote.hostAddress();
        out.set("X-Forwarded-For", priorForwardedFor == null ? client : priorForwardedFor + ", " + client);
        String node = client.indexOf(':') >= 0 ? "\"[" + client + "]\"" : client;
        String host = request.getHeader("Host");
        String element = "for=" + node + ";proto=" + (request.isSSL() ? "https" : "http")
                + (host == null ? "" : ";host=\"" + host.replace("\"", "") + "\"");
        out.set("Forwarded", priorForwarded == null ? element : priorForwarded + ", " + element);

        SystemIdentity caller = exchange.caller();
        out.set(AssertionSigner.HEADER, assertions.assertionFor(new AssertionSigner.Subject(caller.system(),
                caller.agency(), exchange.serviceCode(), exchange.version(), caller.environment(),
                exchange.route().providerSystem())));
        exchange.upstreamHeaders(out);
        return Step.proceed();
    }

    /**
     * Continues the caller's trace: the server span OpenTelemetry opened for this request when tracing is on,
     * else the incoming traceparent with a new parent id, else a new trace.
     */
    static String traceparent(GatewayExchange exchange, String incoming) {
        SpanContext span = Span.current().getSpanContext();
        if (span.isValid()) {
            exchange.traceId(span.getTraceId());
            return "00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex();
        }
        String traceId;
        String flags;
        var m = incoming == null ? null : TRACEPARENT.matcher(incoming);
        if (m != null && m.matches() && !m.group(1).equals(INVALID_TRACE)) {
            traceId = m.group(1);
            flags = m.group(3);
        } else {
            traceId = hex(ThreadLocalRandom.current().nextLong()) + hex(ThreadLocalRandom.current().nextLong());
            flags = "01";
        }
        exchange.traceId(traceId);
        return "00-" + traceId + "-" + hex(ThreadLocalRandom.current().nextLong() | 1L) + "-" + flags;
    }

    private static String hex(long v) {
        String h = Long.toHexString(v);
        return h.length() == 16 ? h : "0000000000000000".substring(h.length()) + h;
    }
}
