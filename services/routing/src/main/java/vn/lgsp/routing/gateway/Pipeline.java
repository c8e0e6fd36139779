package vn.lgsp.routing.gateway;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import java.util.List;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;
import vn.lgsp.common.web.RequestIds;
import vn.lgsp.routing.gateway.step.EntitleStep;
import vn.lgsp.routing.gateway.step.IdentifyStep;
import vn.lgsp.routing.gateway.step.LimitStep;
import vn.lgsp.routing.gateway.step.MaintenanceStep;
import vn.lgsp.routing.gateway.step.ProxyStep;
import vn.lgsp.routing.gateway.step.RecordStep;
import vn.lgsp.routing.gateway.step.RouteStep;
import vn.lgsp.routing.gateway.step.TransformStep;
import vn.lgsp.routing.snapshot.service.SnapshotHolder;

/**
 * The gateway's request path (ARCHITECTURE.md "The request path"): one ordered list of steps, read top to
 * bottom. A step that refuses the call writes nothing itself; the pipeline answers with its problem and goes
 * on only with the steps that run after a rejection (Record). Everything runs on the event loop; synchronous
 * steps chain without allocating futures. The beans on this path (steps, verifiers, limiter, audit gate and
 * publisher, upstream clients) are {@code @Singleton}: injected as themselves, not behind a client proxy that
 * looks its instance up in the application context on each of the ~20 calls between them per request.
 */
@Singleton
public class Pipeline {

    private static final Logger LOG = Logger.getLogger(Pipeline.class);

    private final List<Step> steps;
    private final SnapshotHolder snapshots;
    private final ProblemWriter problems;
    private final AuditGate auditGate;

    @Inject
    public Pipeline(IdentifyStep identify, RouteStep route, EntitleStep entitle, MaintenanceStep maintenance,
            LimitStep limit, TransformStep transform, ProxyStep proxy, RecordStep record,
            SnapshotHolder snapshots, ProblemWriter problems, AuditGate auditGate) {
        this.steps = List.of(
                identify,    // 1. who calls: bearer JWT or RFC 9421 signature → 401 (/ 413 for a signed body over the limit)
                route,       // 2. which service version, in the caller's environment → 404 / 410
                entitle,     // 3. an active subscription of the caller to it → 403
                maintenance, // 4. an announced maintenance window making it unavailable now → 503 (no quota used)
                limit,       // 5. the subscription's rate and daily quota → 429
                transform,   // 6. header hygiene, request id, traceparent, gateway assertion
                proxy,       // 7. stream to the provider and back → 413 / 502 / 503 / 504
                record);     // 8. the audit record, for answered and refused calls alike
        this.snapshots = snapshots;
        this.problems = problems;
        this.auditGate = auditGate;
    }

    /** Entry point from the data plane's router (DataPlaneServer): {@code /{serviceCode}/{version}{restPath}}. */
    public void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        // Hold a body until the proxy step is ready to stream it (earlier steps may wait, e.g. a JWKS refresh). A
        // request without one is not paused: there is nothing to hold, and the pause and resume cost ~1 % per call.
        long declared = ProxyStep.contentLength(request.getHeader("Content-Length"));
        boolean body = ProxyStep.hasBody(request, declared);
        if (body) {
            request.pause();
        }
        String path = rc.normalizedPath();
        int first = path.indexOf('/', 1);
        int second = path.indexOf('/', first + 1);
        String serviceCode = path.substring(1, first);
        String version = second < 0 ? path.substring(first + 1) : path.substring(first + 1, second);
        String rest = second < 0 ? "" : path.substring(second);
        String requestId = RequestIds.accept(request.getHeader(RequestIds.HEADER));
        // Log lines of the call (e.g. an unexpected failure below) carry its id, as on the Quarkus port.
        MDC.put(RequestIds.MDC_KEY, requestId);
        GatewayExchange exchange = new GatewayExchange(rc, snapshots.get(), requestId, serviceCode, version, rest,
                declared, body);
        if (!auditGate.admit()) {
            // Nothing more can be recorded: the audit buffer (or the disk spool) is full. Refuse before any work.
            refuse(exchange, new ProblemException(ProblemType.AUDIT_UNAVAILABLE,
                    "The audit log is unreachable or behind and the gateway's audit backlog is full; calls are refused "
                            + "until it catches up",
                    List.of(), java.util.Map.of("Retry-After", "5")));
            return;
        }
        run(exchange, 0);
    }

    private void run(GatewayExchange exchange, int from) {
        for (int i = from; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (exchange.rejected() && !step.runsAfterRejection()) {
                continue;
            }
            Future<Void> outcome;
            try {
                outcome = step.apply(exchange);
            } catch (RuntimeException e) {
                outcome = Future.failedFuture(e);
            }
            if (!outcome.isComplete()) {
                int next = i + 1;
                Context home = exchange.eventLoop();
                outcome.onComplete(ar -> {
                    // A step may complete on another context (e.g. a shared JWKS refresh): come back to the
                    // request's own event loop, whose connections and pools the later steps use.
                    if (Vertx.currentContext() == home || home == null) {
                        resume(exchange, ar, next);
                    } else {
                        home.runOnContext(v -> resume(exchange, ar, next));
                    }
                });
                return;
            }
            if (outcome.failed()) {
                refuse(exchange, outcome.cause());
            }
        }
        auditGate.release();
    }

    private void resume(GatewayExchange exchange, io.vertx.core.AsyncResult<Void> ar, int next) {
        if (ar.failed()) {
            refuse(exchange, ar.cause());
        }
        run(exchange, next);
    }

    /** How long, and how much, a refused body is still read and dropped after the 413 before the connection closes. */
    static final long LINGER_MS = 2000;
    static final long LINGER_MAX_BYTES = 4L * 1024 * 1024;

    /** RFC 9113 CANCEL: the stream is no longer needed. */
    private static final long H2_CANCEL = 0x8;

    /**
     * nginx's lingering close: a connection closed with the caller's bytes still unread is reset (RST), and a caller
     * still sending its body may then never read the 413 it was sent. So what it still sends is read and dropped
     * until its body ends ({@code ended}), for at most LINGER_MS and LINGER_MAX_BYTES ({@code cut}).
     */
    private static void linger(HttpServerRequest request, Runnable ended, Runnable cut) {
        if (request.isEnded()) {
            ended.run();
            return;
        }
        new Linger(request, ended, cut);
    }

    /** One lingering refused body: whichever comes first of its end, the time limit, the byte limit or an error. */
    private static final class Linger {
        private final Vertx vertx = Vertx.currentContext().owner();
        private final long timer;
        private long dropped;
        private boolean done;

        Linger(HttpServerRequest request, Runnable ended, Runnable cut) {
            timer = vertx.setTimer(LINGER_MS, id -> finish(cut));
            request.handler(chunk -> {
                dropped += chunk.length();
                if (dropped > LINGER_MAX_BYTES) {
                    finish(cut);
                }
            });
            request.endHandler(v -> finish(ended));
            request.exceptionHandler(e -> finish(cut));
            request.resume();
        }

        private void finish(Runnable then) {
            if (!done) {
                done = true;
                vertx.cancelTimer(timer);
                then.run();
            }
        }
    }

    private void refuse(GatewayExchange exchange, Throwable cause) {
        ProblemException problem;
        if (cause instanceof ProblemException p) {
            problem = p;
        } else {
            LOG.errorf(cause, "Gateway step failed unexpectedly on %s %s", exchange.request().method(), exchange.path());
            problem = new ProblemException(ProblemType.INTERNAL, "An unexpected error occurred; quote the request id to the operator");
        }
        exchange.rejected(ProblemWriter.slug(problem));
        if (exchange.response().ended()) {
            return;
        }
        HttpServerRequest request = exchange.request();
        if (!request.isEnded()) {
            if (problem.type() == ProblemType.PAYLOAD_TOO_LARGE) {
                // Do not pass on a body we refused. HTTP/1.1: answer, then close the connection, lingering first.
                // HTTP/2: one stream of a shared connection, so only the stream ends (its other calls go on); what
                // the client still sends is dropped (the flow-control window stays open) and a stream still sending
                // after the linger is reset (CANCEL). No RST_STREAM right after the answer: Java's HTTP/2 client
                // then never completes the call.
                boolean h2 = request.version() == HttpVersion.HTTP_2;
                if (h2) {
                    request.handler(null);
                    request.resume();
                } else {
                    exchange.response().putHeader("Connection", "close");
                }
                HttpConnection connection = request.connection();
                exchange.response().endHandler(v -> linger(request,
                        h2 ? () -> { } : connection::close,
                        h2 ? () -> exchange.response().reset(H2_CANCEL) : connection::close));
            } else {
                // Discard the small unread rest of a refused body so the connection can be reused.
                request.handler(null);
                request.resume();
            }
        }
        problems.write(exchange, problem);
    }
}
