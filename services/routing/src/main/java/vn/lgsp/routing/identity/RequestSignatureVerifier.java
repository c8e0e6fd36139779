package vn.lgsp.routing.identity;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import vn.lgsp.routing.gateway.GatewayExchange;

/**
 * RFC 9421 HTTP message signatures (access_key / secret_key, REQUIREMENTS A2), the alternative to a bearer
 * token in the Identify step. The implementation is {@link HmacSignatureVerifier}, over the shared verifier of
 * libs/common ({@code vn.lgsp.common.httpsig}).
 */
public interface RequestSignatureVerifier {

    /** Whether the request carries a signature this verifier should judge (Signature-Input or Signature present). */
    boolean applies(HttpServerRequest request);

    /**
     * The signing system, or a failed future with a ProblemException (401, or 413 for a body over the version's
     * limit). A request with a body has it read and checked against its signed Content-Digest before this
     * completes; the body is then left in {@link GatewayExchange#bufferedBody()} for the proxy to send.
     */
    Future<SystemIdentity> verify(GatewayExchange exchange);
}
