package vn.lgsp.registry.connection.api;

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
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.common.paging.Page;
import vn.lgsp.common.paging.PageRequest;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.security.Caller;
import vn.lgsp.common.security.Roles;
import vn.lgsp.registry.connection.api.ConnectionRequests.ChangeContact;
import vn.lgsp.registry.connection.api.ConnectionRequests.Submit;
import vn.lgsp.registry.connection.api.ConnectionRequests.TransitionCommand;
import vn.lgsp.registry.connection.domain.ConnectionRequest;
import vn.lgsp.registry.connection.domain.Workflow;
import vn.lgsp.registry.connection.service.ConnectionRequestService;
import vn.lgsp.registry.support.Actor;

@Path("/api/v1/connection-requests")
@Tag(name = "connection-requests", description = "The connection workflow: submitted → under_review → (needs_changes → resubmitted → "
        + "under_review) → approved_for_testing → testing → test_passed → in_production; suspend/resume/revoke; withdraw")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class ConnectionRequestResource {

    @Inject
    ConnectionRequestService service;

    @Inject
    Caller caller;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Submit a connection request", description = "By the admin of the system's agency (or an agency above it), or "
            + "an operator on its behalf. The system must have a contact person (422 rule contactRequired) and the technical "
            + "contact must be one of them; a system has one open request at a time (409). Systems on the mandatory-connection "
            + "list take the shortened procedure (approve_for_testing straight from submitted). Each requestedServices entry "
            + "must exist in catalog as a published or testing version (422 naming requestedServices[i], rules existsInCatalog, "
            + "publishedOrTesting); if catalog cannot be asked the answer is 503 and nothing is written.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "request", value = """
            {"systemCode":"HTTT-MOTCUA","purpose":"Tra cứu thông tin công dân khi giải quyết TTHC",
             "dataScope":"Họ tên, ngày sinh, nơi thường trú","requestedServices":["dan-cu:v1"],
             "expectedFrequency":"khoảng 5.000 lượt/ngày","technicalContactId":"8c7e4a52-2a0e-4c55-9d55-0a4a7f1f0b11"}""")))
    @APIResponse(responseCode = "201", description = "Submitted")
    @APIResponse(responseCode = "422", description = "The system has no contact person, the technical contact is not one of its contacts, "
            + "or a requested service is unknown to catalog or not requestable")
    @APIResponse(responseCode = "503", description = "catalog unreachable: nothing written")
    public Uni<Response> submit(@NotNull(message = "a JSON body is required") @Valid Submit body) {
        return service.submit(Actor.of(caller), body).map(r -> Response.created(URI.create("/api/v1/connection-requests/" + r.id()))
                .tag(etag(r)).entity(r).build());
    }

    @GET
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "List connection requests", description = "Filters: status, systemCode, agencyCode. Sort by createdAt "
            + "(default, newest first), updatedAt or status. History is only in the single-request view.")
    public Uni<Page<ConnectionRequest>> list(@QueryParam("status") String status, @QueryParam("systemCode") String systemCode,
            @QueryParam("agencyCode") String agencyCode, @QueryParam("sort") String sort, @QueryParam("direction") String direction,
            @Valid @BeanParam PageRequest page) {
        if (status != null && !Workflow.STATES.contains(status)) {
            throw ProblemException.field("status", "enum", "must be one of " + Workflow.STATES);
        }
        return service.list(Actor.of(caller), status, systemCode, agencyCode, sort, direction, page);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Read a connection request with its full history", description = "Every transition: at, actor, role, action, "
            + "from, to, comment. The ETag may be sent as If-Match with the next transition.")
    public Uni<Response> get(@PathParam("id") String id) {
        return service.get(Actor.of(caller), uuid(id)).map(r -> Response.ok(r).tag(etag(r)).build());
    }

    @POST
    @Path("/{id}/transitions")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Move a connection request", description = """
            Operator: review, request_changes, approve_for_testing, start_testing, confirm_test, go_live, suspend, resume, revoke.
            Agency admin (own agency tree): resubmit, withdraw (before in_production), confirm_test.
            test_passed needs confirm_test from both sides; the state changes on the second confirmation.
            Entering testing or in_production makes auth issue that environment's credential, returned here once as
            `credential` (Cache-Control: no-store); suspend and revoke make auth revoke both environments. If auth fails
            the request does not move (502/503). An illegal action answers 409 urn:lgsp:problem:illegal-transition;
            a stale If-Match 412.""")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = {
            @ExampleObject(name = "review", value = "{\"action\":\"review\",\"comment\":\"Đã tiếp nhận, đang thẩm định\"}"),
            @ExampleObject(name = "request changes", value = "{\"action\":\"request_changes\",\"comment\":\"Bổ sung sơ đồ kết nối\"}") }))
    @APIResponse(responseCode = "200", description = "Moved; credential present when one was issued")
    @APIResponse(responseCode = "409", description = "Illegal transition from the current state")
    @APIResponse(responseCode = "503", description = "auth unreachable: nothing changed")
    public Uni<Response> transition(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch,
            @NotNull(message = "a JSON body is required") @Valid TransitionCommand body) {
        return service.transition(Actor.of(caller), uuid(id), ifMatch, body).map(result -> {
            Response.ResponseBuilder rb = Response.ok(result).tag(etag(result.request()));
            if (result.credential() != null) {
                // the secret is in this body: no cache may keep it (RFC 6749 §5.1 does the same for tokens)
                rb.header("Cache-Control", "no-store").header("Pragma", "no-cache");
            }
            return rb.build();
        });
    }

    @PUT
    @Path("/{id}/technical-contact")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Name another technical contact for an open request", description = "Operator or an admin of the "
            + "system's agency (tree). If-Match required (428 without, 412 when stale). The contact must be one of the "
            + "system's contact persons (422 contactOfSystem) and differ from the current one (422 changed); a withdrawn or "
            + "revoked request cannot change (409 requestOpen). The history records change_technical_contact with "
            + "fromContactId and toContactId; the audit log has before/after.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "new contact", value = """
            {"technicalContactId":"2f0c5b7e-9a51-4c1e-8f0e-4b1d2c3a4e5f","comment":"Anh An chuyển công tác"}""")))
    public Uni<Response> changeTechnicalContact(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch,
            @NotNull(message = "a JSON body is required") @Valid ChangeContact body) {
        return service.changeTechnicalContact(Actor.of(caller), uuid(id), ifMatch, body)
                .map(r -> Response.ok(r).tag(etag(r)).build());
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("Connection request " + id);
        }
    }

    private static EntityTag etag(ConnectionRequest r) {
        return new EntityTag(String.valueOf(r.version()));
    }
}
