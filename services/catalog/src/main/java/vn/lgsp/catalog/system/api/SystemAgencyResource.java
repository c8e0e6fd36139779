package vn.lgsp.catalog.system.api;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Validator;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.catalog.support.Actor;
import vn.lgsp.catalog.system.domain.AgencyChange;
import vn.lgsp.catalog.system.domain.AgencyChangeResult;
import vn.lgsp.catalog.system.service.SystemAgencyService;
import vn.lgsp.common.id.Codes;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.security.Caller;
import vn.lgsp.common.security.Roles;
import vn.lgsp.common.problem.Validation;

@Path("/api/v1/systems")
@Tag(name = "systems", description = "What registry tells catalog about the information systems it keeps")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class SystemAgencyResource {

    /** registry owns which agency a system belongs to; no other caller may re-home services and subscriptions. */
    static final String REGISTRY = "registry";

    @Inject
    SystemAgencyService service;

    @Inject
    Caller caller;

    @Inject
    Validator validator;

    @PUT
    @Path("/{systemCode}/agency")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SERVICE)
    @Operation(summary = "A system moved to another agency (registry only: service:registry)",
            description = "Moves the owner agency of the services the system provides and the consumer agency of its pending, "
                    + "active and suspended subscriptions (ended and rejected ones keep theirs), in one transaction with a "
                    + "change-feed entry for every version of each moved service and for each moved subscription. "
                    + "Idempotent: nothing to move, or a system catalog does not know, answers 200 with zero counts.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "agency merge", value = "{\"agencyCode\":\"000.00.00.H62\"}")))
    public Uni<AgencyChangeResult> changeAgency(@PathParam("systemCode") String systemCode, AgencyChange body) {
        Actor actor = Actor.of(caller);
        // Checked before the input, so a caller that may not use this endpoint learns nothing from its errors.
        if (!actor.isPlatformService(REGISTRY)) {
            throw ProblemException.forbidden("Only registry (service:registry) may say which agency a system belongs to");
        }
        if (!systemCode.matches(Codes.SYSTEM_CODE)) {
            throw ProblemException.field("systemCode", "pattern", Codes.SYSTEM_CODE_MESSAGE);
        }
        AgencyChange change = body == null ? new AgencyChange(null) : body;
        Validation.check(validator, change);
        return service.changeAgency(actor, systemCode, change.agencyCode());
    }
}
