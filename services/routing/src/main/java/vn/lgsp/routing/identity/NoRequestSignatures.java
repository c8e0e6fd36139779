package vn.lgsp.routing.identity;

import io.quarkus.arc.DefaultBean;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;

/** Until the shared RFC 9421 verifier arrives: signed requests are not recognised. */
@DefaultBean
@ApplicationScoped
public class NoRequestSignatures implements RequestSignatureVerifier {

    @Override
    public boolean applies(HttpServerRequest request) {
        return false;
    }

    @Override
    public Future<SystemIdentity> verify(HttpServerRequest request) {
        return Future.failedFuture(new ProblemException(ProblemType.UNAUTHENTICATED, "Signed requests are not supported yet"));
    }
}
