package vn.lgsp.catalog.webhook.api;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.catalog.support.Actor;
import vn.lgsp.catalog.webhook.domain.WebhookDelivery;
import vn.lgsp.catalog.webhook.repository.DeliveryRepository;
import vn.lgsp.catalog.webhook.service.DeliveryService;
import vn.lgsp.common.paging.Page;
import vn.lgsp.common.paging.PageRequest;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.security.Caller;
import vn.lgsp.common.security.Roles;

@Path("/api/v1/webhook-deliveries")
@Tag(name = "webhook deliveries", description = "Signed webhook pushes of notifications: their state, retries and redelivery")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class WebhookDeliveryResource {

    private static final Set<String> STATUSES = Set.of(WebhookDelivery.PENDING, WebhookDelivery.DELIVERED, WebhookDelivery.FAILED);

    @Inject
    DeliveryService service;

    @Inject
    DeliveryRepository repository;

    @Inject
    Caller caller;

    @GET
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN, Roles.SYSTEM })
    @Operation(summary = "Webhook deliveries, newest first",
            description = "Filters subscriptionId, status (pending, delivered, failed), consumerSystem. An agency admin sees its "
                    + "consumer systems' deliveries, a system token its own. Each shows attempts, the last HTTP status or error, "
                    + "and when the next attempt is due.")
    public Uni<Page<WebhookDelivery>> list(@QueryParam("subscriptionId") String subscriptionId,
            @QueryParam("status") String status, @QueryParam("consumerSystem") String consumerSystem,
            @Valid @BeanParam PageRequest page) {
        UUID sub = null;
        if (subscriptionId != null) {
            try {
                sub = UUID.fromString(subscriptionId);
            } catch (IllegalArgumentException e) {
                throw ProblemException.field("subscriptionId", "uuid", "must be a subscription id (UUID)");
            }
        }
        if (status != null && !STATUSES.contains(status)) {
            throw ProblemException.field("status", "enum", "must be one of pending, delivered, failed");
        }
        Actor actor = Actor.of(caller);
        String system = consumerSystem;
        String agency = null;
        if (!actor.isOperator() && !actor.is(Roles.AUDITOR)) {
            if (actor.is(Roles.SYSTEM)) {
                system = actor.name();
            } else {
                agency = actor.agency();
                if (agency == null) {
                    throw ProblemException.forbidden("Your token names no agency");
                }
            }
        }
        return repository.list(new DeliveryRepository.Filter(sub, status, system, agency), page.page, page.size);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN, Roles.SYSTEM })
    @Operation(summary = "One webhook delivery")
    public Uni<WebhookDelivery> get(@PathParam("id") long id) {
        return service.get(Actor.of(caller), id);
    }

    @POST
    @Path("/{id}/redeliver")
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Deliver the same notification again (operator or the consumer agency's admin)",
            description = "Creates a new delivery (redeliveryOf points at this one), attempted at once with fresh retries. "
                    + "409 while this delivery is still pending.")
    public Uni<Response> redeliver(@PathParam("id") long id) {
        return service.redeliver(Actor.of(caller), id)
                .map(d -> Response.accepted(d).location(URI.create("/api/v1/webhook-deliveries/" + d.id())).build());
    }
}
