package vn.lgsp.audit.storage.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.audit.storage.service.LegalHoldService;
import vn.lgsp.audit.storage.service.LegalHoldService.LegalHold;
import vn.lgsp.audit.support.Params;
import vn.lgsp.common.problem.Problem.FieldError;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;
import vn.lgsp.common.security.Caller;
import vn.lgsp.common.security.Roles;

@Path("/api/v1/legal-holds")
@Tag(name = "retention", description = "Legal holds that keep partitions from the retention job")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class LegalHoldResource {

    @Inject
    LegalHoldService service;

    @Inject
    Caller caller;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Pin a time range: partitions overlapping [from, to) are never dropped while the hold is active")
    public Response create(HoldRequest body) {
        if (body == null) {
            throw ProblemException.field("body", "notNull", "a JSON body with from, to and reason is required");
        }
        List<FieldError> errors = new ArrayList<>();
        Instant from = Params.instant(errors, "from", body.from(), true);
        Instant to = Params.instant(errors, "to", body.to(), true);
        if (from != null && to != null && !from.isBefore(to)) {
            errors.add(new FieldError("to", "after", "'to' must be after 'from'"));
        }
        if (body.reason() == null || body.reason().isBlank()) {
            errors.add(new FieldError("reason", "notNull", "say why the records must be kept (case, request, decision)"));
        } else if (body.reason().length() > 512) {
            errors.add(new FieldError("reason", "size", "must be at most 512 characters"));
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION, "The legal hold is not valid", errors, Map.of());
        }
        LegalHold hold = service.create(caller.actor(), from, to, body.reason().strip());
        return Response.status(201).entity(hold).build();
    }

    @GET
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR })
    @Operation(summary = "Active legal holds (includeReleased=true for all)")
    public List<LegalHold> list(@QueryParam("includeReleased") boolean includeReleased) {
        return service.list(includeReleased);
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Release a hold (kept for the record, no longer protecting its range)")
    public LegalHold release(@PathParam("id") String id) {
        return service.release(caller.actor(), Params.uuid("id", id));
    }

    /** The request body of a new hold; instants as ISO-8601 strings. */
    public record HoldRequest(String from, String to, String reason) {
    }
}
