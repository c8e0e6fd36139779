package vn.lgsp.routing.identity;

import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.security.AuthenticationFailures;

/**
 * Holds the body of a signed request to the Content-Digest its signature covered, before any resource sees it: a
 * signature over the headers alone would let whoever intercepts a request swap its body. The body is read whole
 * (the HTTP limit bounds it) and handed on unchanged; a mismatch is the 401 {@code HmacSignatureVerifier.refused}
 * gives, as is a body whose digest the signature does not cover. Bearer requests pass untouched.
 */
@Provider
public class SignedBodyCheck implements ReaderInterceptor {

    @Inject
    CurrentIdentityAssociation identities;

    @Inject
    CurrentVertxRequest current;

    @Inject
    AuthenticationFailures failures;

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        // Only a request the signature mechanism took (so its identity is already established): no other request
        // makes this look up an identity.
        if (!SignedRequestAuthentication.applies(current.getCurrent())) {
            return context.proceed();
        }
        SecurityIdentity identity = identities.getIdentity();
        String digest = identity == null ? null : identity.getAttribute(SignedRequestAuthentication.SIGNED_DIGEST);
        byte[] body = context.getInputStream().readAllBytes();
        try {
            if (digest != null && !digest.equals(SignedRequestAuthentication.NO_BODY)) {
                HmacSignatureVerifier.checkBody(digest, body);
            } else if (body.length > 0) {
                // no digest the signature covered (or, should the identity ever lack it, none known): no body passes
                throw HmacSignatureVerifier.uncoveredBody();
            }
        } catch (ProblemException refused) {
            // as refused a credential as a bad signature: recorded like the failures Quarkus reports
            failures.record(current.getCurrent(), refused);
            throw refused;
        }
        context.setInputStream(new ByteArrayInputStream(body));
        return context.proceed();
    }
}
