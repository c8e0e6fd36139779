package vn.lgsp.registry.agency.api;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.common.paging.Page;
import vn.lgsp.common.paging.PageRequest;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.security.Caller;
import vn.lgsp.common.security.Roles;
import vn.lgsp.registry.agency.api.AgencyRequests.CreateAgency;
import vn.lgsp.registry.agency.api.AgencyRequests.Dissolve;
import vn.lgsp.registry.agency.api.AgencyRequests.Merge;
import vn.lgsp.registry.agency.api.AgencyRequests.Rename;
import vn.lgsp.registry.agency.api.AgencyRequests.Split;
import vn.lgsp.registry.agency.api.AgencyRequests.UpdateAgency;
import vn.lgsp.registry.agency.domain.Agency;
import vn.lgsp.registry.agency.domain.AgencyEvent;
import vn.lgsp.registry.agency.service.AgencyService;
import vn.lgsp.registry.support.Actor;
import vn.lgsp.common.web.Etags;

@Path("/api/v1/agencies")
@Tag(name = "agencies", description = "Agencies: identifier codes (XXX.XX.XX.YNN), hierarchy, renames, merges, splits, dissolutions")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class AgencyResource {

    private static final String STATUSES = "active, merged, split, dissolved";

    @Inject
    AgencyService service;

    @Inject
    Caller caller;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Register an agency (operator)", description = "The code must follow the national format and never have been used; "
            + "the name is full Vietnamese Unicode. Answers 201 with Location and ETag.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "department", value = """
            {"code":"000.00.00.H62","name":"Sở Tài chính tỉnh Lào Cai","shortName":"STC","parentCode":"000.00.00.H01","level":"department"}""")))
    @APIResponse(responseCode = "201", description = "Registered")
    @APIResponse(responseCode = "409", description = "The code is in use or was used before (urn:lgsp:problem:duplicate)")
    public Uni<Response> create(@NotNull(message = "a JSON body is required") @Valid CreateAgency body) {
        return service.create(Actor.of(caller), body).map(a -> Response.created(URI.create("/api/v1/agencies/" + a.code()))
                .tag(etag(a)).entity(a).build());
    }

    @GET
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN, Roles.SERVICE })
    @Operation(summary = "List agencies", description = "Filters: status (" + STATUSES + "), parentCode, q (free text on name, short "
            + "name and code, with or without Vietnamese diacritics: 'so tai chinh' finds 'Sở Tài chính'). Sort by name, code or "
            + "createdAt, direction asc or desc. An agency admin sees its own agency and those below it.")
    public Uni<Page<Agency>> list(@QueryParam("status") String status, @QueryParam("parentCode") String parentCode,
            @QueryParam("q") String q, @QueryParam("sort") String sort, @QueryParam("direction") String direction,
            @Valid @BeanParam PageRequest page) {
        if (status != null && !List.of(STATUSES.split(", ")).contains(status)) {
            throw ProblemException.field("status", "enum", "must be one of " + STATUSES);
        }
        if (q != null && q.length() > 255) {
            throw ProblemException.field("q", "size", "must be at most 255 characters");
        }
        return service.list(Actor.of(caller), status, parentCode, q, sort, direction, page);
    }

    @GET
    @Path("/{code}")
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN, Roles.SERVICE })
    @Operation(summary = "Read an agency", description = "An old code that was re-issued by a rename answers the current agency, with "
            + "resolvedFrom naming the code asked for and Content-Location the current URL.")
    public Uni<Response> get(@PathParam("code") String code) {
        return service.get(Actor.of(caller), code).map(AgencyResource::ok);
    }

    @GET
    @Path("/{code}/history")
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN, Roles.SERVICE })
    @Operation(summary = "History of an agency", description = "Every event, oldest first: created, updated, renamed (before/after name "
            + "and code), merged (successor), absorbed (on the agency merged into), split (successors), dissolved.")
    public Uni<List<AgencyEvent>> history(@PathParam("code") String code) {
        return service.history(Actor.of(caller), code);
    }

    @PUT
    @Path("/{code}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Correct an agency (operator)", description = "Requires If-Match with the ETag last read: 428 without it, 412 if "
            + "the agency changed meanwhile. Official renames go through /rename so they enter the history.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "correction", value = """
            {"name":"Sở Tài chính tỉnh Lào Cai","shortName":"STC","parentCode":"000.00.00.H01","level":"department"}""")))
    public Uni<Response> update(@PathParam("code") String code,
            @Parameter(in = ParameterIn.HEADER, name = "If-Match", required = true) @HeaderParam("If-Match") String ifMatch,
            @NotNull(message = "a JSON body is required") @Valid UpdateAgency body) {
        return service.update(Actor.of(caller), code, ifMatch, body).map(AgencyResource::ok);
    }

    @POST
    @Path("/{code}/rename")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Rename an agency, optionally re-issuing its code (operator)", description = "The old code keeps resolving to "
            + "this agency and is never handed out again. Children and systems follow the new code. If-Match is honoured when sent.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "rename", value = """
            {"newName":"Sở Khoa học và Công nghệ","newCode":"000.00.00.H63","effectiveAt":"2025-03-01T00:00:00Z",
             "comment":"Hợp nhất Sở TT&TT vào Sở KH&CN theo Nghị quyết 2025"}""")))
    public Uni<Response> rename(@PathParam("code") String code, @HeaderParam("If-Match") String ifMatch,
            @NotNull(message = "a JSON body is required") @Valid Rename body) {
        return service.rename(Actor.of(caller), code, ifMatch, body).map(AgencyResource::ok);
    }

    @POST
    @Path("/{code}/merge")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Merge an agency into another (operator)", description = "The agency becomes 'merged' with the target as its "
            + "successor; its child agencies move under the target, and so do its information systems that are not retired "
            + "(each move is in the system's history, cause agency.merge, and audited). Only an active agency can be merged.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "merge", value = """
            {"intoCode":"000.00.00.H63","comment":"Sáp nhập theo Quyết định 123/QĐ-UBND"}""")))
    public Uni<Response> merge(@PathParam("code") String code, @HeaderParam("If-Match") String ifMatch,
            @NotNull(message = "a JSON body is required") @Valid Merge body) {
        return service.merge(Actor.of(caller), code, ifMatch, body).map(AgencyResource::ok);
    }

    @POST
    @Path("/{code}/split")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Split an agency into successors (operator)", description = "Successors must be registered, active agencies. "
            + "systems assigns every information system of the agency that is not retired to one of the successors (system code → "
            + "successor code): 422 naming systems.<code> when it is not this agency's system or the target is not a successor, "
            + "systems (rule allAssigned) when one is left out. Each move is in the system's history (cause agency.split) and audited.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "split", value = """
            {"successorCodes":["000.00.00.H70","000.00.00.H71"],"systems":{"HTTT-MOTCUA":"000.00.00.H70","HTTT-HOTICH":"000.00.00.H71"},
             "comment":"Chia tách theo Nghị quyết"}""")))
    public Uni<Response> split(@PathParam("code") String code, @HeaderParam("If-Match") String ifMatch,
            @NotNull(message = "a JSON body is required") @Valid Split body) {
        return service.split(Actor.of(caller), code, ifMatch, body).map(AgencyResource::ok);
    }

    @POST
    @Path("/{code}/dissolve")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Dissolve an agency (operator)")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "dissolve", value = """
            {"comment":"Giải thể theo Quyết định 45/QĐ-UBND"}""")))
    public Uni<Response> dissolve(@PathParam("code") String code, @HeaderParam("If-Match") String ifMatch,
            @NotNull(message = "a JSON body is required") @Valid Dissolve body) {
        return service.dissolve(Actor.of(caller), code, ifMatch, body).map(AgencyResource::ok);
    }

    private static Response ok(Agency a) {
        Response.ResponseBuilder rb = Response.ok(a).tag(etag(a));
        if (a.resolvedFrom() != null) {
            rb.header("Content-Location", "/api/v1/agencies/" + a.code());
        }
        return rb.build();
    }

    private static jakarta.ws.rs.core.EntityTag etag(Agency a) {
        return new jakarta.ws.rs.core.EntityTag(String.valueOf(a.version()));
    }
}
