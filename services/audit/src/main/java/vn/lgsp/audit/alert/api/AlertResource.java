package vn.lgsp.audit.alert.api;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.audit.alert.service.AlertService;
import vn.lgsp.audit.alert.service.AlertService.Alert;
import vn.lgsp.audit.support.Params;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.security.Caller;
import vn.lgsp.common.security.Roles;

@Path("/api/v1/alerts")
@Tag(name = "alerts", description = "Alert rules and alerts")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class AlertResource {

    @Inject
    AlertService service;

    @Inject
    Caller caller;

    @GET
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Alerts, newest first (state=open|resolved, rule, limit ≤ 500); an agency admin sees its agency's")
    public List<Alert> list(@QueryParam("state") String state, @QueryParam("rule") String rule,
            @QueryParam("limit") Integer limit) {
        if (state != null && !state.equals("open") && !state.equals("resolved")) {
            throw ProblemException.field("state", "enum", "must be 'open' or 'resolved'");
        }
        int size = limit == null ? 100 : limit;
        if (size < 1 || size > 500) {
            throw ProblemException.field("limit", "range", "must be between 1 and 500");
        }
        return service.list(state, rule, scope(), size);
    }

    @POST
    @Path("/{id}/acknowledge")
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Acknowledge an alert (someone is on it); recorded in the log")
    public Alert acknowledge(@PathParam("id") String id) {
        return service.acknowledge(caller.actor(), Params.uuid("id", id), scope());
    }

    /** Operators and auditors see every alert; an agency admin only its agency's. */
    private String scope() {
        if (caller.isOperator() || caller.is(Roles.AUDITOR)) {
            return null;
        }
        String agency = caller.agency();
        if (agency == null) {
            throw ProblemException.forbidden("Your token names no agency");
        }
        return agency;
    }
}
