package vn.lgsp.routing.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import vn.lgsp.common.problem.Problem;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.web.RequestIds;

/** Writes the gateway's own answers as RFC 9457 problem documents straight on the Vert.x response. */
@Singleton
public class ProblemWriter {

    @Inject
    ObjectMapper mapper;

    /** Slug of a problem type, e.g. {@code rate-limited}: what the audit record's errorType carries. */
    public static String slug(ProblemException e) {
        return e.type().slug();
    }

    public void write(GatewayExchange exchange, ProblemException e) {
        write(exchange.response(), exchange.request().path(), exchange.requestId(), e);
    }

    /** A problem answer on any data-plane response, e.g. for a path that is not a gateway path. */
    public void write(HttpServerResponse response, String path, String requestId, ProblemException e) {
        if (response.headWritten()) {
            // Bytes of the provider's answer already left: the only honest signal left is a broken connection.
            response.reset();
            return;
        }
        Problem body = e.toProblem().withContext(path, requestId);
        byte[] json;
        try {
            json = mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException ex) {
            json = ("{\"type\":\"" + body.type() + "\",\"status\":" + body.status() + "}").getBytes();
        }
        response.setStatusCode(body.status())
                .putHeader("Content-Type", Problem.MEDIA_TYPE)
                .putHeader(RequestIds.HEADER, requestId);
        e.headers().forEach(response::putHeader);
        response.end(Buffer.buffer(json));
    }
}
