package vn.lgsp.audit.alert.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.audit.alert.service.AlertRuleService;
import vn.lgsp.audit.alert.service.AlertRuleService.AlertRule;
import vn.lgsp.audit.alert.service.AlertRuleService.RuleRequest;
import vn.lgsp.audit.support.Params;
import vn.lgsp.common.security.Caller;
import vn.lgsp.common.security.Roles;

@Path("/api/v1/alert-rules")
@Tag(name = "alerts", description = "Alert rules and alerts")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class AlertRuleResource {

    @Inject
    AlertRuleService service;

    @Inject
    Caller caller;

    @Inject
    ObjectMapper mapper;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Create a rule: error-rate (threshold 0..1 of 5xx over windowMinutes, minCalls), "
            + "provider-unreachable, no-traffic (serviceCode required), async-failures (threshold = count), "
            + "auth-failures (threshold = refusals per claimed identity, default 10; no service filters)")
    public Response create(RuleRequest body) {
        return answer(Response.status(201), service.create(caller.actor(), body));
    }

    @GET
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR })
    public List<AlertRule> list() {
        return service.list();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR })
    public Response get(@PathParam("id") String id) {
        AlertRule rule = service.find(Params.uuid("id", id));
        return Response.ok(rule).tag(new EntityTag(String.valueOf(rule.version()))).build();
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Replace a rule; If-Match with the ETag read is required (its open alerts are resolved; "
            + "it is evaluated afresh)")
    public Response update(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch, RuleRequest body) {
        return answer(Response.ok(), service.update(caller.actor(), Params.uuid("id", id), ifMatch, body));
    }

    @POST
    @Path("/{id}/webhook-secret")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Issue a new signing secret for the rule's webhook; shown once",
            description = "409 when the rule has no webhookUrl. The previous secret stops verifying at once: every "
                    + "notification from now on, retries included, is signed with the new one. Audited (without the secret).")
    public Response rotateWebhookSecret(@PathParam("id") String id) {
        return answer(Response.ok(), service.rotateWebhookSecret(caller.actor(), Params.uuid("id", id)));
    }

    /**
     * The rule with its ETag; when it has just been given a webhook secret, the secret too, this once (never stored,
     * never shown again) and not to be cached.
     */
    private Response answer(Response.ResponseBuilder r, AlertRuleService.Saved saved) {
        AlertRule rule = saved.rule();
        r.tag(new EntityTag(String.valueOf(rule.version())));
        if (saved.webhookSecret() == null) {
            return r.entity(rule).build();
        }
        ObjectNode body = mapper.valueToTree(rule);
        body.put("webhookSecret", saved.webhookSecret());
        return r.entity(body).header("Cache-Control", "no-store").build();
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.OPERATOR)
    public Response delete(@PathParam("id") String id, @HeaderParam("If-Match") String ifMatch) {
        service.delete(caller.actor(), Params.uuid("id", id), ifMatch);
        return Response.noContent().build();
    }
}
