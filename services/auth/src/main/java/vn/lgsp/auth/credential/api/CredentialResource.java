package vn.lgsp.auth.credential.api;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.auth.credential.domain.Credential;
import vn.lgsp.auth.credential.repository.CredentialRepository;
import vn.lgsp.auth.credential.repository.CredentialRepository.Filter;
import vn.lgsp.auth.credential.service.CredentialService;
import vn.lgsp.common.audit.AdminAudit;
import vn.lgsp.common.id.AgencyCode;
import vn.lgsp.common.id.Codes;
import vn.lgsp.common.paging.Page;
import vn.lgsp.common.paging.PageRequest;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.security.Caller;
import vn.lgsp.common.security.Roles;

@Path("/api/v1/credentials")
@Tag(name = "credentials", description = "Credentials of agency systems per environment: consumer key/secret and access key/secret key")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class CredentialResource {

    static final String ENV_REGEX = "^(test|production)$";
    static final String ENV_MESSAGE = "must be 'test' or 'production'";
    static final long MAX_OVERLAP_SECONDS = 2_592_000L; // 30 days

    @Inject
    CredentialService service;

    @Inject
    CredentialRepository repository;

    @Inject
    Caller caller;

    @Inject
    AdminAudit audit;

    public record CreateCredential(
            @NotNull(message = "is required") @Pattern(regexp = Codes.SYSTEM_CODE, message = Codes.SYSTEM_CODE_MESSAGE) String systemCode,
            @NotNull(message = "is required") @Pattern(regexp = AgencyCode.REGEX, message = AgencyCode.RULE_MESSAGE) String agencyCode,
            @NotNull(message = "is required") @Pattern(regexp = ENV_REGEX, message = ENV_MESSAGE) String environment,
            @NotNull(message = "is required") @Pattern(regexp = "^(client_secret|hmac)$", message = "must be 'client_secret' or 'hmac'") String kind,
            @Future(message = "must lie in the future") Instant expiresAt) {
    }

    public record RevokeAll(
            @NotNull(message = "is required") @Pattern(regexp = Codes.SYSTEM_CODE, message = Codes.SYSTEM_CODE_MESSAGE) String systemCode,
            @NotNull(message = "is required") @Pattern(regexp = ENV_REGEX, message = ENV_MESSAGE) String environment) {
    }

    public record RevokeAllResult(int revoked, List<String> clientIds) {
    }

    public record Rotate(@Min(value = 0, message = "must be 0 or more")
            @Max(value = MAX_OVERLAP_SECONDS, message = "must be at most 2592000 (30 days)") Long overlapSeconds) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.OPERATOR, Roles.SERVICE })
    @Operation(summary = "Issue a credential",
            description = "client_secret: a consumer key (clientId) and secret for the token endpoint. hmac: an access key and "
                    + "secret key for signed requests. The secret is in this response only: it is stored hashed or encrypted.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "client secret", value = """
            {"systemCode":"HTTT-MOTCUA","agencyCode":"000.00.00.H62","environment":"production","kind":"client_secret"}""")))
    public Uni<Response> create(@Valid @NotNull(message = "a JSON body is required") CreateCredential body) {
        String actor = caller.actor();
        return service.create(body.systemCode(), body.agencyCode(), body.environment(), body.kind(), body.expiresAt(), actor)
                .map(issued -> {
                    Credential c = issued.credential();
                    audit.record(actor, "create", "credential", c.id().toString(), c.agencyCode(), null, CredentialView.summary(c));
                    return Response.created(URI.create("/api/v1/credentials/" + c.id()))
                            .header("Cache-Control", "no-store")
                            .entity(CredentialView.of(c, issued.secret())).build();
                });
    }

    @GET
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "List credentials (never secrets)", description = "An agency admin sees its own agency's credentials only.")
    public Uni<Page<CredentialView>> list(
            @QueryParam("systemCode") @Pattern(regexp = Codes.SYSTEM_CODE, message = Codes.SYSTEM_CODE_MESSAGE) String systemCode,
            @QueryParam("environment") @Pattern(regexp = ENV_REGEX, message = ENV_MESSAGE) String environment,
            @QueryParam("status") @Pattern(regexp = "^(active|revoked|expired)$", message = "must be 'active', 'revoked' or 'expired'") String status,
            @Valid @BeanParam PageRequest page) {
        Filter filter = new Filter(systemCode, environment, status, ownAgencyOnly());
        return repository.list(filter, page).map(p -> p.map(c -> CredentialView.of(c, null)));
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "One credential (never its secret)")
    public Uni<CredentialView> get(@PathParam("id") String id) {
        UUID uuid = parseId(id);
        String agency = ownAgencyOnly();
        return repository.findById(uuid).map(c -> {
            if (c == null || (agency != null && !agency.equals(c.agencyCode()))) {
                throw ProblemException.notFound("Credential " + id);
            }
            return CredentialView.of(c, null);
        });
    }

    @POST
    @Path("/{id}/revoke")
    @RolesAllowed({ Roles.OPERATOR, Roles.SERVICE })
    @Operation(summary = "Revoke one credential", description = "Idempotent. Takes effect at once here and, via the revocation feed, at the gateway.")
    public Uni<CredentialView> revoke(@PathParam("id") String id) {
        UUID uuid = parseId(id);
        String actor = caller.actor();
        return service.revoke(uuid).map(c -> {
            audit.record(actor, "revoke", "credential", c.id().toString(), c.agencyCode(), null, CredentialView.summary(c));
            return CredentialView.of(c, null);
        });
    }

    @POST
    @Path("/revoke")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.OPERATOR, Roles.SERVICE })
    @Operation(summary = "Revoke all credentials of a system in an environment", description = "Used by registry when a "
            + "connection is suspended or revoked. Idempotent: revoked counts only those revoked by this call.")
    public Uni<RevokeAllResult> revokeAll(@Valid @NotNull(message = "a JSON body is required") RevokeAll body) {
        String actor = caller.actor();
        return service.revokeAll(body.systemCode(), body.environment()).map(list -> {
            List<String> ids = list.stream().map(Credential::clientId).toList();
            if (!list.isEmpty()) {
                audit.record(actor, "revoke-all", "credential", body.systemCode(), list.get(0).agencyCode(), null,
                        Map.of("systemCode", body.systemCode(), "environment", body.environment(), "clientIds", ids));
            }
            return new RevokeAllResult(list.size(), ids);
        });
    }

    @POST
    @Path("/{id}/rotate")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Rotate the secret", description = "A new secret, shown in this response only; the old one keeps working "
            + "until previousSecretValidUntil (overlapSeconds, default 86400) so the system can switch without downtime.")
    public Uni<Response> rotate(@PathParam("id") String id, @Valid Rotate body) {
        UUID uuid = parseId(id);
        long overlap = body == null || body.overlapSeconds() == null ? 86_400 : body.overlapSeconds();
        String actor = caller.actor();
        return service.rotate(uuid, Duration.ofSeconds(overlap)).map(issued -> {
            Credential c = issued.credential();
            audit.record(actor, "rotate", "credential", c.id().toString(), c.agencyCode(), null,
                    Map.of("clientId", c.clientId(), "previousSecretValidUntil", String.valueOf(c.previousValidUntil())));
            return Response.ok(CredentialView.of(c, issued.secret())).header("Cache-Control", "no-store").build();
        });
    }

    /** Null for operators, auditors and services; the caller's agency for an agency admin. */
    private String ownAgencyOnly() {
        if (caller.isOperator() || caller.is(Roles.AUDITOR) || caller.is(Roles.SERVICE)) {
            return null;
        }
        String agency = caller.agency();
        if (agency == null) {
            throw ProblemException.forbidden("Your token names no agency");
        }
        return agency;
    }

    private static UUID parseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("Credential " + id);
        }
    }
}
