package vn.lgsp.routing.assertion.api;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.routing.assertion.AssertionSigner;

@Path("/.well-known/jwks.json")
@Tag(name = "gateway assertion", description = "Keys providers use to verify X-LGSP-Gateway-Assertion")
public class JwksResource {

    @Inject
    AssertionSigner signer;

    @GET
    @PermitAll
    @Produces("application/jwk-set+json")
    @Operation(summary = "Public keys of the gateway assertion (RFC 7517 JWK Set)",
            description = "Providers verify the RS256 JWT in X-LGSP-Gateway-Assertion with these keys: iss is the "
                    + "gateway, sub the consumer system, aud the provider system, plus agency, service, version, env.")
    public Response jwks() {
        return Response.ok(signer.jwks()).header("Cache-Control", "public, max-age=300").build();
    }
}
