package vn.lgsp.registry.sync.api;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.common.security.Roles;
import vn.lgsp.registry.sync.repository.AgencySyncRepository;
import vn.lgsp.registry.sync.repository.AgencySyncRepository.Pending;

@Path("/api/v1/agency-sync")
@Tag(name = "agency sync", description = "Agency changes on their way to auth and catalog")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class AgencySyncResource {

    @Inject
    AgencySyncRepository outbox;

    @GET
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR })
    @Operation(summary = "Agency changes not yet accepted by auth or catalog",
            description = "Systems that moved agency (kind 'system', with the agency they now belong to) and re-issued agency "
                    + "codes (kind 'agency-code', oldCode → agencyCode) that auth or catalog (waitingFor) has not accepted yet, "
                    + "oldest first (at most 500), with attempts, the next attempt and the last error. Empty when everything "
                    + "got through; changes are retried until accepted.")
    public Uni<List<Pending>> pending() {
        return outbox.pending(500);
    }
}
