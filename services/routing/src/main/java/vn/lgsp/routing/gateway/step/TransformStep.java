package vn.lgsp.routing.gateway.step;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import vn.lgsp.common.problem.Problem;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;
import vn.lgsp.common.web.RequestIds;
import vn.lgsp.routing.assertion.AssertionSigner;
import vn.lgsp.routing.gateway.GatewayExchange;
import vn.lgsp.routing.gateway.HopByHop;
import vn.lgsp.routing.gateway.Step;
import vn.lgsp.routing.gateway.BodyReader;
import vn.lgsp.routing.identity.SystemIdentity;
import vn.lgsp.routing.snapshot.domain.Route;
import vn.lgsp.routing.transform.BodyConverter;
import vn.lgsp.routing.upstreamauth.UpstreamCredentials;

/**
 * 6. Transform: the headers the provider receives. The caller's credentials and hop-by-hop headers never
 * leave the gateway; the provider gets the request id, W3C trace context, forwarding information and the signed
 * gateway assertion instead — plus, when the version says so, the credentials the provider itself requires.
 */
@Singleton
public class TransformStep implements Step {

    /** Credentials, and headers the gateway sets itself (a caller must not forge them). */
    static final Set<String> STRIPPED = Set.of("authorization", "signature", "signature-input", "cookie", "host",
            "expect", "x-request-id", "traceparent", "x-lgsp-gateway-assertion", "x-forwarded-for", "forwarded");
    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
    private static final String INVALID_TRACE = "00000000000000000000000000000000";

    @Inject
    AssertionSigner assertions;

    @Inject
    UpstreamCredentials credentials;

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

        // This hop as it reached the gateway: the TCP peer (a trusted Ingress' own forwarded headers are kept before
        // it), not the forwarded-aware request view, which would name the original client twice.
        SocketAddress remote = request.connection().remoteAddress();
        String client = remote == null ? "unknown" : remote.hostAddress();
        out.set("X-Forwarded-For", priorForwardedFor == null ? client : priorForwardedFor + ", " + client);
        String node = client.indexOf(':') >= 0 ? "\"[" + client + "]\"" : client;
        String host = request.getHeader("Host");
        String element = "for=" + node + ";proto=" + (request.connection().isSsl() ? "https" : "http")
                + (host == null ? "" : ";host=\"" + host.replace("\"", "") + "\"");
        out.set("Forwarded", priorForwarded == null ? element : priorForwarded + ", " + element);

        SystemIdentity caller = exchange.caller();
        out.set(AssertionSigner.HEADER, assertions.assertionFor(new AssertionSigner.Subject(caller.system(),
                exchange.consumerAgency(), exchange.serviceCode(), exchange.version(), caller.environment(),
                exchange.route().providerSystem(),
                exchange.subscription() == null ? null : exchange.subscription().accessLevel())));
        exchange.upstreamHeaders(out);
        Route.Conversion conversion = exchange.route().conversion();
        String convertFrom = conversion.enabled() ? requestConversionFrom(exchange, conversion) : null;
        if (conversion.enabled()) {
            // a caller that wants the other format still gets the provider's own: the proxy converts the answer
            String wanted = BodyConverter.acceptedFormat(in.get("Accept"));
            if (wanted != null && !wanted.equals(conversion.responseFormat())) {
                out.set("Accept", BodyConverter.mediaType(conversion.responseFormat()));
            }
        }
        // the provider's own credentials (static header or OAuth2 token), set after the caller's were stripped
        Future<Void> ready = UpstreamCredentials.none(exchange.route()) ? Step.proceed()
                : credentials.addTo(exchange.route(), out);
        return convertFrom == null ? ready
                : ready.compose(v -> convertRequest(exchange, out, convertFrom, conversion.requestFormat()));
    }

    /** The format of a request body that must be converted for the provider, or null. */
    private static String requestConversionFrom(GatewayExchange exchange, Route.Conversion conversion) {
        HttpServerRequest request = exchange.request();
        boolean body = exchange.bufferedBody() != null ? exchange.bufferedBody().length() > 0
                : exchange.announcesBody();
        String from = BodyConverter.formatOf(request.getHeader("Content-Type"));
        return body && from != null && !from.equals(conversion.requestFormat()) ? from : null;
    }

    private static Future<Void> convertRequest(GatewayExchange exchange, MultiMap out, String from, String to) {
        Future<Buffer> body = exchange.bufferedBody() != null ? Future.succeededFuture(exchange.bufferedBody())
                : BodyReader.readWhole(exchange, exchange.declaredLength(),
                        exchange.route().maxRequestBytes());
        return body.compose(b -> {
            byte[] converted;
            try {
                converted = BodyConverter.convert(b.getBytes(), from, to, "request");
            } catch (IllegalArgumentException e) {
                return Future.failedFuture(new ProblemException(ProblemType.MALFORMED_BODY, "The request body could not "
                        + "be converted to " + to.toUpperCase(java.util.Locale.ROOT) + " for the provider: " + e.getMessage(),
                        List.of(new Problem.FieldError("body", "well-formed-" + from, e.getMessage())), Map.of()));
            }
            exchange.bufferedBody(Buffer.buffer(converted));
            out.set("Content-Type", BodyConverter.mediaType(to) + ";charset=UTF-8");
            // the caller's length and digest describe the body it sent, not the one the provider receives
            out.remove("Content-Length");
            out.remove("Content-Digest");
            return Step.proceed();
        });
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
