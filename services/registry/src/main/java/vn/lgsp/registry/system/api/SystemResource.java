package vn.lgsp.registry.system.api;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.common.id.Environment;
import vn.lgsp.common.paging.Page;
import vn.lgsp.common.paging.PageRequest;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.security.Caller;
import vn.lgsp.common.security.Roles;
import vn.lgsp.registry.support.Actor;
import vn.lgsp.registry.system.api.SystemRequests.CreateContact;
import vn.lgsp.registry.system.api.SystemRequests.CreateSystem;
import vn.lgsp.registry.system.api.SystemRequests.Retire;
import vn.lgsp.registry.system.api.SystemRequests.UpdateSystem;
import vn.lgsp.registry.system.domain.SystemEvent;
import vn.lgsp.registry.system.domain.Contact;
import vn.lgsp.registry.system.domain.InformationSystem;
import vn.lgsp.registry.system.service.SystemService;

@Path("/api/v1/systems")
@Tag(name = "systems", description = "Information systems of the agencies, their base URLs, source-IP allow-lists and contact persons")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class SystemResource {

    @Inject
    SystemService service;

    @Inject
    Caller caller;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Register an information system", description = "Operator, or the admin of the owning agency or of an agency "
            + "above it. Only operators may set mandatoryConnection. Status starts as 'registered'.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "system", value = """
            {"code":"HTTT-MOTCUA","name":"Hệ thống thông tin giải quyết thủ tục hành chính","agencyCode":"000.00.00.H62",
             "description":"Một cửa điện tử","purpose":"Tiếp nhận và giải quyết hồ sơ",
             "baseUrls":{"test":"https://test.motcua.example.vn","production":"https://motcua.example.vn"},
             "allowedSourceIps":["203.0.113.10","10.20.0.0/16","2001:db8::/32"],"securityLevel":3,"mandatoryConnection":false}""")))
    public Uni<Response> create(@NotNull(message = "a JSON body is required") @Valid CreateSystem body) {
        return service.create(Actor.of(caller), body).map(s -> Response.created(URI.create("/api/v1/systems/" + s.code()))
                .tag(etag(s)).entity(s).build());
    }

    @GET
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN, Roles.SERVICE })
    @Operation(summary = "List information systems", description = "Filters: status (registered, connected, suspended, revoked, "
            + "retired), agencyCode, environment (test or production: the system has a base URL there), q (name or code, with or "
            + "without diacritics). Sort by name, code or createdAt; direction asc or desc.")
    public Uni<Page<InformationSystem>> list(@QueryParam("status") String status, @QueryParam("agencyCode") String agencyCode,
            @QueryParam("environment") String environment, @QueryParam("q") String q, @QueryParam("sort") String sort,
            @QueryParam("direction") String direction, @Valid @BeanParam PageRequest page) {
        if (status != null && !InformationSystem.STATUSES.contains(status)) {
            throw ProblemException.field("status", "enum", "must be one of " + InformationSystem.STATUSES);
        }
        Environment env;
        try {
            env = Environment.parse(environment);
        } catch (IllegalArgumentException e) {
            throw ProblemException.field("environment", "enum", "must be test or production");
        }
        if (q != null && q.length() > 255) {
            throw ProblemException.field("q", "size", "must be at most 255 characters");
        }
        return service.list(Actor.of(caller), status, agencyCode, env, q, sort, direction, page);
    }

    @GET
    @Path("/{code}")
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN, Roles.SERVICE })
    @Operation(summary = "Read an information system", description = "Catalog and auth call this with their service token to check "
            + "that a system exists, its status and its agency.")
    public Uni<Response> get(@PathParam("code") String code) {
        return service.get(Actor.of(caller), code).map(s -> Response.ok(s).tag(etag(s)).build());
    }

    @PUT
    @Path("/{code}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Change an information system", description = "Requires If-Match (428 without, 412 when stale). Moving the "
            + "system to another agency needs rights on both agencies.")
    public Uni<Response> update(@PathParam("code") String code,
            @Parameter(in = ParameterIn.HEADER, name = "If-Match", required = true) @HeaderParam("If-Match") String ifMatch,
            @NotNull(message = "a JSON body is required") @Valid UpdateSystem body) {
        return service.update(Actor.of(caller), code, ifMatch, body).map(s -> Response.ok(s).tag(etag(s)).build());
    }

    @POST
    @Path("/{code}/retire")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Retire an information system (final)", description = "Operator or an admin of the owning agency (tree); "
            + "optional If-Match (412 when stale). 409 rule noOpenConnectionRequest while the system has a connection request "
            + "that is not withdrawn or revoked: withdraw or revoke it first. auth revokes any remaining credentials of both "
            + "environments (503 if auth is unreachable: nothing changes). Recorded in the system's history.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "retire",
            value = "{\"comment\":\"Hệ thống được thay thế bởi HTTT-MOTCUA-2\"}")))
    public Uni<Response> retire(@PathParam("code") String code, @HeaderParam("If-Match") String ifMatch,
            @NotNull(message = "a JSON body is required") @Valid Retire body) {
        return service.retire(Actor.of(caller), code, ifMatch, body).map(s -> Response.ok(s).tag(etag(s)).build());
    }

    @GET
    @Path("/{code}/history")
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN, Roles.SERVICE })
    @Operation(summary = "A system's retirement and moves between agencies (by request, or when its agency merged or split)")
    public Uni<List<SystemEvent>> history(@PathParam("code") String code) {
        return service.history(Actor.of(caller), code);
    }

    @POST
    @Path("/{code}/contacts")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Add a contact person (cán bộ đầu mối)")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "contact", value = """
            {"name":"Nguyễn Văn An","position":"Trưởng phòng CNTT","phone":"0912345678","email":"an.nv@stc.example.vn"}""")))
    public Uni<Response> addContact(@PathParam("code") String code,
            @NotNull(message = "a JSON body is required") @Valid CreateContact body) {
        return service.addContact(Actor.of(caller), code, body)
                .map(c -> Response.created(URI.create("/api/v1/systems/" + code + "/contacts/" + c.id())).entity(c).build());
    }

    @GET
    @Path("/{code}/contacts")
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "List the contact persons of a system")
    public Uni<List<Contact>> contacts(@PathParam("code") String code) {
        return service.contacts(Actor.of(caller), code);
    }

    @DELETE
    @Path("/{code}/contacts/{id}")
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Remove a contact person", description = "409 while the contact is the technical contact of a connection request.")
    public Uni<Response> deleteContact(@PathParam("code") String code, @PathParam("id") String id) {
        UUID contactId;
        try {
            contactId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("Contact " + id);
        }
        return service.deleteContact(Actor.of(caller), code, contactId).replaceWith(Response.noContent().build());
    }

    private static EntityTag etag(InformationSystem s) {
        return new EntityTag(String.valueOf(s.version()));
    }
}
