package vn.lgsp.catalog.subscription.api;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.catalog.subscription.domain.ChangeRequest;
import vn.lgsp.catalog.subscription.domain.ChangeTerms;
import vn.lgsp.catalog.subscription.repository.ChangeRequestRepository;
import vn.lgsp.catalog.subscription.service.ChangeRequestService;
import vn.lgsp.catalog.support.Actor;
import vn.lgsp.common.paging.Page;
import vn.lgsp.common.paging.PageRequest;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.security.Caller;
import vn.lgsp.common.security.Roles;

/**
 * Change requests on subscriptions (made with POST /api/v1/subscriptions/{id}/change-requests): the provider side's
 * inbox and decisions, the consumer side's withdrawals.
 */
@Path("/api/v1/change-requests")
@Tag(name = "change requests", description = "What a subscriber asks the provider to change: a higher access level, a later end of its period of use")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class ChangeRequestResource {

    private static final Set<String> STATUSES = Set.of("pending", "approved", "rejected", "withdrawn", "lapsed");

    @Inject
    ChangeRequestService service;

    @Inject
    Caller caller;

    @GET
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "List change requests, newest first",
            description = "An agency admin sees those of subscriptions where its agency is the consumer or the provider; "
                    + "?status=pending is the provider side's inbox.")
    public Uni<Page<ChangeRequest>> list(@QueryParam("status") String status, @QueryParam("subscriptionId") String subscriptionId,
            @QueryParam("serviceCode") String serviceCode, @QueryParam("consumerSystem") String consumerSystem,
            @Valid @BeanParam PageRequest page) {
        if (status != null && !STATUSES.contains(status)) {
            throw ProblemException.field("status", "enum", "must be one of " + STATUSES);
        }
        UUID subscription = null;
        if (subscriptionId != null) {
            try {
                subscription = UUID.fromString(subscriptionId);
            } catch (IllegalArgumentException e) {
                throw ProblemException.field("subscriptionId", "uuid", "must be a subscription id (a UUID)");
            }
        }
        return service.list(Actor.of(caller), new ChangeRequestRepository.Filter(status, subscription, serviceCode,
                consumerSystem, null), page.page, page.size);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "One change request")
    public Uni<ChangeRequest> get(@PathParam("id") UUID id) {
        return service.get(Actor.of(caller), id);
    }

    @POST
    @Path("/{id}/approve")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Approve a pending change request (provider side), all of it or less",
            description = "Operator or the admin of the service's owner agency. Grants what was asked unless the body "
                    + "says less: an accessLevel not above the one asked (422 notAboveRequested) nor below the one held "
                    + "(notBelowCurrent), a periodEnd not after the one asked (notAfterRequested) nor before the current "
                    + "end (notBeforeCurrent); a term the request does not ask to change is 422 notRequested. routing "
                    + "applies it within seconds; the subscriber is told (subscription.change-approved). Audited.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = {
            @ExampleObject(name = "all", value = "{\"reason\":\"Đồng ý theo công văn số 123/UBND\"}"),
            @ExampleObject(name = "less", value = "{\"accessLevel\":\"update\",\"periodEnd\":\"2027-06-30\",\"reason\":\"Gia hạn 6 tháng\"}") }))
    public Uni<ChangeRequest> approve(@PathParam("id") UUID id, @Valid ChangeTerms body) {
        return service.approve(Actor.of(caller), id, body);
    }

    @POST
    @Path("/{id}/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Reject a pending change request with a reason (provider side)",
            description = "The subscription keeps its terms; the subscriber is told why (subscription.change-rejected). Audited.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "reason", value = "{\"reason\":\"Mục đích chưa cần quyền cập nhật\"}")))
    public Uni<ChangeRequest> reject(@PathParam("id") UUID id, @Valid ChangeTerms body) {
        return service.reject(Actor.of(caller), id, body);
    }

    @POST
    @Path("/{id}/withdraw")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Withdraw a pending change request (consumer side)", description = "Operator or the consumer agency's admin. Audited.")
    public Uni<ChangeRequest> withdraw(@PathParam("id") UUID id, @Valid ChangeTerms body) {
        return service.withdraw(Actor.of(caller), id, body);
    }
}
