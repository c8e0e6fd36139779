package vn.lgsp.auth.oauth.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.auth.oauth.service.TokenSigner;
import vn.lgsp.auth.sso.service.IdentityProviders;
import vn.lgsp.auth.sso.service.TokenExchange;

/** RFC 8414 server metadata: a standard OAuth client configures itself from this one URL. */
@Path("/.well-known/oauth-authorization-server")
@Tag(name = "oauth2")
public class MetadataResource {

    @Inject
    TokenSigner signer;

    @Inject
    IdentityProviders identityProviders;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Authorization server metadata (RFC 8414)")
    public Response metadata() {
        String issuer = signer.issuer();
        String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
        List<String> clientAuth = List.of("client_secret_basic", "client_secret_post");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", issuer);
        m.put("token_endpoint", base + "/oauth2/token");
        m.put("jwks_uri", base + "/oauth2/jwks");
        m.put("introspection_endpoint", base + "/oauth2/introspect");
        m.put("revocation_endpoint", base + "/oauth2/revoke");
        // Token exchange (RFC 8693) only where single sign-on is configured: admins exchange a provider's ID token.
        m.put("grant_types_supported", identityProviders.issuers().isEmpty() ? List.of("client_credentials")
                : List.of("client_credentials", TokenExchange.GRANT_TYPE));
        m.put("response_types_supported", List.of());
        m.put("token_endpoint_auth_methods_supported", clientAuth);
        m.put("introspection_endpoint_auth_methods_supported", clientAuth);
        m.put("revocation_endpoint_auth_methods_supported", clientAuth);
        m.put("service_documentation", base + "/q/swagger-ui");
        return Response.ok(m).header("Cache-Control", "public, max-age=3600").build();
    }
}
