package vn.lgsp.auth.sso.api;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.auth.sso.repository.IdentityRepository.Link;
import vn.lgsp.auth.sso.service.IdentityLinks;
import vn.lgsp.auth.sso.service.IdentityProviders;
import vn.lgsp.common.audit.AdminAudit;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.security.Caller;
import vn.lgsp.common.security.Roles;

/**
 * Single sign-on set-up (REQUIREMENTS A7): the identity providers the platform trusts, and which person at each one
 * signs in as which admin account. Signing in itself is the token endpoint's token exchange.
 */
@Path("/api/v1/admin")
@Tag(name = "admin", description = "Admin identities (operator, agency admin, auditor) and their login")
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = "bearer")
public class IdentityResource {

    @Inject
    IdentityProviders providers;

    @Inject
    IdentityLinks links;

    @Inject
    Caller caller;

    @Inject
    AdminAudit audit;

    /** A person at a provider, by the subject claim the provider puts in its ID tokens (sub unless configured). */
    public record LinkRequest(@NotBlank(message = "is required") @Size(max = 255, message = "must be at most 255 characters")
            String subject) {
    }

    @GET
    @Path("/identity-providers")
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Identity providers trusted for single sign-on", description = "Name and issuer of each; an admin "
            + "signs in by exchanging an ID token from one at POST /oauth2/token (grant_type "
            + "urn:ietf:params:oauth:grant-type:token-exchange, RFC 8693).")
    public List<Map<String, String>> providers() {
        List<Map<String, String>> out = new ArrayList<>();
        providers.issuers().forEach((name, issuer) -> out.add(Map.of("name", name, "issuer", issuer)));
        return out;
    }

    @GET
    @Path("/accounts/{username}/identities")
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "An account's single sign-on identities", description = "Operators and auditors: any account; "
            + "others: their own only (403).")
    public Uni<List<Link>> list(@PathParam("username") String username) {
        if (!caller.is(Roles.OPERATOR) && !caller.is(Roles.AUDITOR) && !username.equals(caller.subject())) {
            throw ProblemException.forbidden("You may only see your own account's identities");
        }
        return links.of(username);
    }

    @PUT
    @Path("/accounts/{username}/identities/{provider}")
    @RolesAllowed(Roles.OPERATOR)
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Link a person at an identity provider to an account", description = "From then on that person "
            + "signs in as this account (its role and agency, never the provider's claims). One person per provider per "
            + "account; a person linked to another account is 409. Re-linking to another person ends the account's "
            + "sessions. Not for your own account (403): another operator links it. Audited.")
    public Uni<Link> link(@PathParam("username") String username, @PathParam("provider") String provider,
            @Valid @NotNull(message = "a JSON body is required") LinkRequest body) {
        if (username.equals(caller.subject())) {
            // A stolen token must not become a lasting way in through the thief's own identity (as for passwords).
            throw ProblemException.forbidden("You cannot link your own account; another operator must");
        }
        String actor = caller.actor();
        return links.link(username, provider, body.subject(), actor).map(l -> {
            audit.record(actor, "link-identity", "account", username, l.account().agencyCode(),
                    l.previousSubject() == null ? null : describe(provider, l.previousSubject()),
                    describe(provider, body.subject()));
            return l.link();
        });
    }

    @DELETE
    @Path("/accounts/{username}/identities/{provider}")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Unlink an account from an identity provider", description = "The person can no longer sign in "
            + "as the account through it, and the account's sessions end (every service refuses its tokens within "
            + "seconds). 204; audited.")
    public Uni<Response> unlink(@PathParam("username") String username, @PathParam("provider") String provider) {
        String actor = caller.actor();
        return links.unlink(username, provider).map(l -> {
            audit.record(actor, "unlink-identity", "account", username, l.account().agencyCode(),
                    describe(provider, l.previousSubject()), null);
            return Response.noContent().build();
        });
    }

    private static Map<String, Object> describe(String provider, String subject) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("provider", provider);
        m.put("subject", subject);
        return m;
    }
}
