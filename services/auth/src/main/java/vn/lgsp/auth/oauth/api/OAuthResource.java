package vn.lgsp.auth.oauth.api;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.auth.oauth.service.OAuthService;

/**
 * The OAuth 2.0 endpoints. Bodies are read raw and parsed by {@link FormRequest} so that malformed requests get
 * the RFC 6749 error JSON rather than a framework's 415 or a silently merged repeated parameter.
 */
@Path("/oauth2")
@Tag(name = "oauth2", description = "OAuth 2.0 client credentials (RFC 6749 §4.4), token exchange for single sign-on (RFC 8693), introspection (RFC 7662), revocation (RFC 7009)")
@Produces(MediaType.APPLICATION_JSON)
public class OAuthResource {

    @Inject
    OAuthService service;

    @POST
    @Path("/token")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Obtain an access token with client credentials, or an admin token by single sign-on",
            description = "grant_type=client_credentials; client authentication by HTTP Basic (id and secret form-urlencoded, "
                    + "then base64) or client_id+client_secret in the body, never both. Or, for admins, "
                    + "grant_type=urn:ietf:params:oauth:grant-type:token-exchange (RFC 8693) with subject_token = an ID token "
                    + "of a trusted identity provider and subject_token_type=urn:ietf:params:oauth:token-type:id_token, no "
                    + "client secret: the linked account's admin token. Errors per RFC 6749 §5.2; "
                    + "429 slow_down with Retry-After after repeated failures; 503 temporarily_unavailable when the "
                    + "subscription catalog cannot be read.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED,
            examples = @ExampleObject(name = "basic auth", value = "grant_type=client_credentials")))
    @APIResponse(responseCode = "200", description = "The token", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "token", value = """
                    {"access_token":"eyJraWQiOi...","token_type":"Bearer","expires_in":3600,"scope":"dan-cu:v1 dat-dai:v2"}""")))
    @APIResponse(responseCode = "400", description = "invalid_request, unsupported_grant_type, unauthorized_client, invalid_scope, "
            + "invalid_grant (token exchange: the ID token is not valid, already exchanged, or linked to no active account), "
            + "invalid_target")
    @APIResponse(responseCode = "401", description = "invalid_client")
    @APIResponse(responseCode = "429", description = "slow_down: too many failed authentications")
    public Uni<Response> token(String body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context HttpServerRequest request) {
        FormRequest form = FormRequest.parse(contentType, body, authorization);
        return service.token(form, address(request), request.path()).map(OAuthResource::noStore);
    }

    @POST
    @Path("/introspect")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Introspect a token (RFC 7662)",
            description = "The caller authenticates as a client (platform service or agency system). Answers {\"active\":false} "
                    + "for any token that is not currently valid: unknown, expired, foreign, revoked, or of a revoked credential.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED,
            examples = @ExampleObject(name = "introspect", value = "token=eyJraWQiOi...")))
    public Uni<Response> introspect(String body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context HttpServerRequest request) {
        FormRequest form = FormRequest.parse(contentType, body, authorization);
        return service.introspect(form, address(request), request.path()).map(OAuthResource::noStore);
    }

    @POST
    @Path("/revoke")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Revoke a token (RFC 7009)",
            description = "The caller authenticates as a client; a system may revoke only its own tokens. Answers 200 for "
                    + "unknown or invalid tokens, as the RFC requires. Revoked token ids appear in the revocation feed until they expire.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED,
            examples = @ExampleObject(name = "revoke", value = "token=eyJraWQiOi...&token_type_hint=access_token")))
    public Uni<Response> revoke(String body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, @Context HttpServerRequest request) {
        FormRequest form = FormRequest.parse(contentType, body, authorization);
        return service.revoke(form, address(request), request.path())
                .map(v -> Response.ok().header("Cache-Control", "no-store").header("Pragma", "no-cache").build());
    }

    static Response noStore(Object body) {
        return Response.ok(body, MediaType.APPLICATION_JSON).header("Cache-Control", "no-store").header("Pragma", "no-cache").build();
    }

    /** The peer address (behind a proxy, enable quarkus.http.proxy.proxy-address-forwarding to get the client's). */
    static String address(HttpServerRequest request) {
        return request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
    }
}
