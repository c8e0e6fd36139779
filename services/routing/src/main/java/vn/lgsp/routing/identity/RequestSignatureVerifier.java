package vn.lgsp.routing.identity;

import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;

/**
 * Hook for RFC 9421 HTTP message signatures (access_key / secret_key, REQUIREMENTS A2). The shared verifier
 * will live in libs/ and be adapted here; until then {@link NoRequestSignatures} declines every request, so
 * only bearer tokens are accepted.
 */
public interface RequestSignatureVerifier {

    /** Whether the request carries a signature this verifier should judge (e.g. Signature-Input present). */
    boolean applies(HttpServerRequest request);

    /** The signing system, or a failed future with a ProblemException (401). */
    Future<SystemIdentity> verify(HttpServerRequest request);
}
