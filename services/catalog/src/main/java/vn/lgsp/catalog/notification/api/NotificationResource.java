package vn.lgsp.catalog.notification.api;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.catalog.notification.repository.NotificationRepository;
import vn.lgsp.catalog.notification.repository.NotificationRepository.Notification;
import vn.lgsp.common.paging.Page;
import vn.lgsp.common.paging.PageRequest;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.security.Caller;
import vn.lgsp.common.security.Roles;

@Path("/api/v1/notifications")
@Tag(name = "notifications", description = "What subscribers were told about the versions they use")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class NotificationResource {

    @Inject
    NotificationRepository repository;

    @Inject
    Caller caller;

    @GET
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN, Roles.SYSTEM })
    @Operation(summary = "Notifications, newest first",
            description = "An agency admin sees those of its agency's consumer systems; a system token sees its own.")
    public Uni<Page<Notification>> list(@QueryParam("consumerSystem") String consumerSystem, @Valid @BeanParam PageRequest page) {
        String system = consumerSystem;
        String agency = null;
        if (caller.is(Roles.SYSTEM) && !caller.isOperator()) {
            system = caller.subject();
        } else if (!caller.isOperator() && !caller.is(Roles.AUDITOR)) {
            agency = caller.agency();
            if (agency == null) {
                throw ProblemException.forbidden("Your token names no agency");
            }
        }
        return repository.list(system, agency, page.page, page.size);
    }
}
