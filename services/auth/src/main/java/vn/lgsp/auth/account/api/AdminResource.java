package vn.lgsp.auth.account.api;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.auth.account.domain.Account;
import vn.lgsp.auth.account.repository.AccountRepository;
import vn.lgsp.auth.account.service.AccountService;
import vn.lgsp.common.audit.AdminAudit;
import vn.lgsp.common.id.AgencyCode;
import vn.lgsp.common.paging.Page;
import vn.lgsp.common.paging.PageRequest;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.security.Caller;
import vn.lgsp.common.security.Roles;

@Path("/api/v1/admin")
@Tag(name = "admin", description = "Admin identities (operator, agency admin, auditor) and their login")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

    static final String USERNAME = "^[a-z0-9][a-z0-9._-]{2,63}$";
    static final String USERNAME_MESSAGE = "must be 3-64 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit";

    @Inject
    AccountService service;

    @Inject
    AccountRepository repository;

    @Inject
    Caller caller;

    @Inject
    AdminAudit audit;

    public record Login(@NotBlank(message = "is required") @Size(max = 64, message = "must be at most 64 characters") String username,
            @NotBlank(message = "is required") @Size(max = 256, message = "must be at most 256 characters") String password) {
    }

    public record LoginResult(String access_token, String token_type, long expires_in) {
    }

    public record CreateAccount(
            @NotNull(message = "is required") @Pattern(regexp = USERNAME, message = USERNAME_MESSAGE) String username,
            // Omitted: the account signs in only through single sign-on (a linked identity), never with a password.
            @Size(min = AccountService.MIN_PASSWORD, max = 256, message = "must be 12 to 256 characters") String password,
            @NotNull(message = "is required") @Pattern(regexp = "^(operator|agency-admin|auditor)$",
                    message = "must be 'operator', 'agency-admin' or 'auditor'") String role,
            @Pattern(regexp = AgencyCode.REGEX, message = AgencyCode.RULE_MESSAGE) String agencyCode) {
    }

    @POST
    @Path("/login")
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Log in as an admin", description = "Returns a JWT whose groups claim carries the role (and agency "
            + "claim for agency admins), accepted by the admin APIs of every service. Throttled: 429 with Retry-After.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "login", value = """
            {"username":"operator","password":"correct horse battery staple"}""")))
    public Uni<Response> login(@Valid @NotNull(message = "a JSON body is required") Login body, @Context HttpServerRequest request) {
        String address = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        return service.login(body.username(), body.password(), address, request.path())
                .map(t -> Response.ok(new LoginResult(t.token(), "Bearer", t.expiresIn()))
                        .header("Cache-Control", "no-store").build());
    }

    public record ChangePassword(
            @NotNull(message = "is required") @Size(max = 256, message = "must be at most 256 characters") String currentPassword,
            @NotNull(message = "is required") @Size(min = AccountService.MIN_PASSWORD, max = 256,
                    message = "must be 12 to 256 characters") String newPassword) {
    }

    public record ResetPassword(
            @NotNull(message = "is required") @Size(min = AccountService.MIN_PASSWORD, max = 256,
                    message = "must be 12 to 256 characters") String newPassword) {
    }

    @POST
    @Path("/logout")
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN, Roles.AUDITOR })
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Log out: revoke the token presented", description = "Every service refuses it within seconds "
            + "(auth at once): they read auth's revocation feed. 204; audited.")
    public Uni<Response> logout() {
        String actor = caller.actor();
        String agency = caller.agency();
        return service.logout(caller.tokenId(), caller.subject(), caller.expiresAt()).map(v -> {
            audit.record(actor, "logout", "account", actor, agency, null, Map.of());
            return Response.noContent().build();
        });
    }

    @POST
    @Path("/password")
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN, Roles.AUDITOR })
    @SecurityRequirement(name = "bearer")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change your own password", description = "Needs the current password (wrong guesses count as "
            + "failed logins: 429 when throttled). Every token of the account is revoked, this one included: log in "
            + "again. 204; audited (never the passwords).")
    public Uni<Response> changeOwnPassword(@Valid @NotNull(message = "a JSON body is required") ChangePassword body,
            @Context HttpServerRequest request) {
        String actor = caller.actor();
        String address = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        return service.changeOwnPassword(actor, body.currentPassword(), body.newPassword(), address, request.path()).map(a -> {
            audit.record(actor, "change-password", "account", a.username(), a.agencyCode(), null, Map.of());
            return Response.noContent().header("Cache-Control", "no-store").build();
        });
    }

    @POST
    @Path("/accounts/{username}/password")
    @RolesAllowed(Roles.OPERATOR)
    @SecurityRequirement(name = "bearer")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set a new password for an account (a forgotten one)", description = "Every token the account holds "
            + "is revoked. Not for your own account: change it with POST /api/v1/admin/password, which asks for the "
            + "current one. 204; audited (never the password).")
    public Uni<Response> resetPassword(@PathParam("username") String username,
            @Valid @NotNull(message = "a JSON body is required") ResetPassword body) {
        if (username.equals(caller.subject())) {
            throw ProblemException.conflict("Change your own password with POST /api/v1/admin/password");
        }
        String actor = caller.actor();
        return service.setPassword(username, body.newPassword()).map(a -> {
            audit.record(actor, "reset-password", "account", a.username(), a.agencyCode(), null, Map.of());
            return Response.noContent().header("Cache-Control", "no-store").build();
        });
    }

    @POST
    @Path("/accounts")
    @RolesAllowed(Roles.OPERATOR)
    @SecurityRequirement(name = "bearer")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create an admin account", description = "Without a password the account signs in only through "
            + "single sign-on, once an operator links it to a person at an identity provider "
            + "(PUT /api/v1/admin/accounts/{username}/identities/{provider}).")
    public Uni<Response> create(@Valid @NotNull(message = "a JSON body is required") CreateAccount body) {
        String actor = caller.actor();
        return service.create(body.username(), body.password(), body.role(), body.agencyCode()).map(a -> {
            audit.record(actor, "create", "account", a.username(), a.agencyCode(), null, summary(a));
            return Response.created(URI.create("/api/v1/admin/accounts/" + a.username())).entity(a).build();
        });
    }

    @GET
    @Path("/accounts")
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR })
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "List admin accounts (never passwords)")
    public Uni<Page<Account>> list(@Valid @BeanParam PageRequest page) {
        return repository.list(page);
    }

    @POST
    @Path("/accounts/{username}/disable")
    @RolesAllowed(Roles.OPERATOR)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Disable an account", description = "It can no longer log in, and every token it holds is revoked: "
            + "every service refuses them within seconds (auth at once). Enabling it again does not bring those back. "
            + "An operator cannot disable itself, so the platform is never left without one by accident.")
    public Uni<Account> disable(@PathParam("username") String username) {
        if (username.equals(caller.subject())) {
            throw ProblemException.conflict("You cannot disable your own account");
        }
        return changeStatus(username, Account.DISABLED, "disable");
    }

    @POST
    @Path("/accounts/{username}/enable")
    @RolesAllowed(Roles.OPERATOR)
    @SecurityRequirement(name = "bearer")
    @Operation(summary = "Enable a disabled account")
    public Uni<Account> enable(@PathParam("username") String username) {
        return changeStatus(username, Account.ACTIVE, "enable");
    }

    private Uni<Account> changeStatus(String username, String status, String action) {
        String actor = caller.actor();
        return service.setStatus(username, status).invoke(a -> audit.record(actor, action, "account", a.username(),
                a.agencyCode(), null, summary(a)));
    }

    private static Map<String, Object> summary(Account a) {
        return a.agencyCode() == null ? Map.of("role", a.role(), "status", a.status())
                : Map.of("role", a.role(), "status", a.status(), "agencyCode", a.agencyCode());
    }
}
