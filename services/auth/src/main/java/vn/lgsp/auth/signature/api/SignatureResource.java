package vn.lgsp.auth.signature.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.auth.credential.domain.Credential;
import vn.lgsp.auth.security.AuthGuard;
import vn.lgsp.auth.signature.service.SignatureVerification;
import vn.lgsp.auth.signature.service.SignatureVerification.Outcome;
import vn.lgsp.common.httpsig.SignedMessage;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.security.Caller;
import vn.lgsp.common.security.Roles;

@Path("/api/v1/signatures/verify")
@Tag(name = "signatures", description = "RFC 9421 signed requests (Vĩnh Long Art. 12, steps 4–6)")
@SecurityRequirement(name = "bearer")
public class SignatureResource {

    static final String PATH = "/api/v1/signatures/verify";

    @Inject
    SignatureVerification verification;

    @Inject
    AuthGuard guard;

    @Inject
    Caller caller;

    public record VerifyRequest(
            @NotBlank(message = "is required") @Pattern(regexp = "^[A-Za-z]{1,16}$", message = "must be an HTTP method token") String method,
            @NotBlank(message = "is required") @Size(max = 8192, message = "must be at most 8192 characters") String targetUri,
            @NotNull(message = "is required") @Size(max = 200, message = "must have at most 200 header fields") Map<String, List<String>> headers,
            @Pattern(regexp = "^[A-Za-z0-9+/]{43}=$", message = "must be the base64 of a 32-byte SHA-256 digest") String bodySha256,
            Boolean contentDigestVerified) {
    }

    /** RFC 7662-style answer: a refused signature is a successful verification call with valid=false. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record VerifyResponse(boolean valid, String accessKey, String systemCode, String agencyCode, String environment,
            Instant created, List<String> components, String contentDigest, String reason, String detail) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.SERVICE, Roles.SYSTEM })
    @Operation(summary = "Verify an RFC 9421 signed request a provider received",
            description = "The provider forwards the method, the absolute target URI as the client addressed it, the headers "
                    + "(Signature-Input, Signature and every covered field) and, when there was a body, bodySha256 (base64 "
                    + "SHA-256 of the body; the body itself is never sent). 200 with valid=true names the signing system; "
                    + "200 with valid=false gives the reason (RFC 7662 style: the call succeeded, the signature did not). "
                    + "A verified nonce is consumed: verifying the same request twice answers replayed_nonce. "
                    + "contentDigest says how the body is bound: verified, checked_by_provider, unchecked, not_covered.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "GET", value = """
            {"method":"GET","targetUri":"https://provider.example.gov.vn/api/ho-tich/v1/records?id=42",
             "headers":{"Signature-Input":["sig1=(\\"@method\\" \\"@target-uri\\");created=1700000000;keyid=\\"ak_…\\";nonce=\\"n-1\\";alg=\\"hmac-sha256\\""],
                        "Signature":["sig1=:base64…:"]}}""")))
    @APIResponse(responseCode = "200", description = "valid=true with the signer, or valid=false with reason and detail")
    public Uni<VerifyResponse> verify(@Valid @NotNull(message = "a JSON body is required") VerifyRequest body,
            @Context HttpServerRequest request) {
        SignedMessage message = message(body);
        byte[] digest = body.bodySha256() == null ? null : Base64.getDecoder().decode(body.bodySha256());
        String address = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        String verifier = caller.actor();
        return verification.verify(message, digest, Boolean.TRUE.equals(body.contentDigestVerified())).map(outcome -> {
            if (outcome.valid()) {
                return ok(outcome);
            }
            String reason = outcome.failure().reason().name().toLowerCase(Locale.ROOT);
            Credential c = outcome.key() == null ? null : outcome.key().credential();
            guard.audit(outcome.keyId(), c == null ? null : c.systemCode(), c == null ? null : c.environment(), PATH, 401, "signature_" + reason,
                    "signed request refused: " + outcome.failure().getMessage() + "; verification asked by " + verifier
                            + " for " + body.method().toUpperCase(Locale.ROOT) + " " + cut(body.targetUri(), 300),
                    address);
            return new VerifyResponse(false, null, null, null, null, null, null, null, reason, outcome.failure().getMessage());
        });
    }

    private static VerifyResponse ok(Outcome o) {
        Credential c = o.key().credential();
        return new VerifyResponse(true, c.clientId(), c.systemCode(), c.agencyCode(), c.environment(), o.verified().created(),
                o.verified().components(), o.contentDigest(), null, null);
    }

    /** The request as the client addressed it; a target that is not an absolute http(s) URI is bad input. */
    static SignedMessage message(VerifyRequest body) {
        URI uri;
        try {
            uri = new URI(body.targetUri());
        } catch (URISyntaxException e) {
            throw ProblemException.field("targetUri", "uri", "must be an absolute http or https URI: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!("http".equals(scheme) || "https".equals(scheme)) || uri.getRawAuthority() == null || uri.getRawFragment() != null
                || uri.getRawUserInfo() != null) {
            throw ProblemException.field("targetUri", "uri",
                    "must be an absolute http or https URI with a host, without user info or fragment");
        }
        String authority = uri.getRawAuthority();
        // RFC 9421 §2.2.3: the default port is omitted from @authority.
        if (("http".equals(scheme) && authority.endsWith(":80")) || ("https".equals(scheme) && authority.endsWith(":443"))) {
            authority = authority.substring(0, authority.lastIndexOf(':'));
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        for (Map.Entry<String, List<String>> h : body.headers().entrySet()) {
            if (h.getKey() == null || h.getKey().isBlank() || h.getValue() == null || h.getValue().contains(null)) {
                throw ProblemException.field("headers", "headerValues", "each header must map a name to a list of string values");
            }
        }
        return SignedMessage.of(body.method().toUpperCase(Locale.ROOT), scheme, authority, path, uri.getRawQuery(), body.headers());
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
