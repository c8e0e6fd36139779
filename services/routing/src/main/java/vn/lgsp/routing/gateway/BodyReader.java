package vn.lgsp.routing.gateway;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;

/**
 * Reads a (paused) request body whole, up to a limit, for the few cases that must see all of it before the
 * provider does: a signed body checked against its Content-Digest, a body converted between JSON and XML.
 * Everything else streams.
 */
public final class BodyReader {

    private BodyReader() {
    }

    /** @param declared Content-Length, or -1 when unknown */
    public static Future<Buffer> readWhole(GatewayExchange exchange, long declared, long limit) {
        HttpServerRequest request = exchange.request();
        if (declared > limit) {
            return Future.failedFuture(tooLarge(exchange, declared, limit));
        }
        Buffer body = Buffer.buffer(declared > 0 ? (int) declared : 1024);
        Promise<Buffer> done = Promise.promise();
        request.handler(chunk -> {
            if ((long) body.length() + chunk.length() > limit) {
                request.handler(null);
                request.pause();
                done.tryFail(tooLarge(exchange, -1, limit));
                return;
            }
            body.appendBuffer(chunk);
        });
        request.exceptionHandler(t -> done.tryFail(new ProblemException(ProblemType.MALFORMED_BODY,
                "The request body could not be read completely")));
        request.endHandler(v -> done.tryComplete(body));
        if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
            exchange.response().writeContinue();
        }
        request.resume();
        return done.future();
    }

    public static ProblemException tooLarge(GatewayExchange exchange, long size, long limit) {
        return new ProblemException(ProblemType.PAYLOAD_TOO_LARGE, "The request body" + (size >= 0 ? " of " + size
                + " bytes" : "") + " exceeds the limit of " + limit + " bytes for " + exchange.serviceCode() + " "
                + exchange.version());
    }
}
