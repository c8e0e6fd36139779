package vn.lgsp.catalog.subscription.api;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.catalog.subscription.domain.AccessChange;
import vn.lgsp.catalog.subscription.domain.CarryOver;
import vn.lgsp.catalog.subscription.domain.ChangeTerms;
import vn.lgsp.catalog.subscription.domain.Decision;
import vn.lgsp.catalog.subscription.domain.PeriodChange;
import vn.lgsp.catalog.subscription.domain.Subscription;
import vn.lgsp.catalog.subscription.domain.SubscriptionRequest;
import vn.lgsp.catalog.subscription.repository.SubscriptionRepository;
import vn.lgsp.catalog.subscription.service.ChangeRequestService;
import vn.lgsp.catalog.subscription.service.SubscriptionService;
import vn.lgsp.catalog.subscription.service.SubscriptionService.Action;
import vn.lgsp.catalog.support.Actor;
import vn.lgsp.catalog.webhook.service.WebhookEndpointService;
import vn.lgsp.catalog.webhook.service.WebhookSecretService;
import vn.lgsp.common.paging.Page;
import vn.lgsp.common.paging.PageRequest;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.security.Caller;
import vn.lgsp.common.security.Roles;

@Path("/api/v1/subscriptions")
@Tag(name = "subscriptions", description = "Consumer systems' applications to use a service version, and their decisions")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class SubscriptionResource {

    private static final Set<String> STATUSES = Set.of("pending", "active", "rejected", "suspended", "ended");

    @Inject
    SubscriptionService service;

    @Inject
    ChangeRequestService changeRequests;

    @Inject
    SubscriptionRepository repository;

    @Inject
    Caller caller;

    @Inject
    WebhookSecretService webhookSecrets;

    @Inject
    WebhookEndpointService webhookEndpoints;

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper mapper;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Apply for a subscription (starts pending)",
            description = "Operator, or the agency admin of the consumer system's agency (looked up in registry). Draft, deprecated "
                    + "and retired versions take no subscribers (409 naming version); a testing version only in the test environment. "
                    + "accessLevel (REQUIREMENTS A3: view < use < update < share, each including the ones before; default "
                    + "use) is what the application asks for: routing lets the subscriber call only the operations it covers "
                    + "(the version's accessRules; else GET/HEAD/OPTIONS view, POST use, other methods update).")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "one-stop shop", value = """
            {"serviceCode":"dan-cu","version":"v1","consumerSystemCode":"HTTT-MOTCUA","environment":"production",
             "purpose":"Xác minh nhân thân khi tiếp nhận hồ sơ","expectedFrequency":"khoảng 2000 lượt/ngày",
             "periodStart":"2026-01-01","periodEnd":"2026-12-31","webhookUrl":"https://motcua.angiang.gov.vn/hooks/lgsp",
             "accessLevel":"view"}""")))
    public Uni<Response> create(@Valid @NotNull SubscriptionRequest body) {
        return service.create(Actor.of(caller), body).map(this::created);
    }

    @GET
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN, Roles.SERVICE })
    @Operation(summary = "List subscriptions",
            description = "An agency admin sees those where its agency is the consumer or the provider. auth reads "
                    + "?consumerSystem=&environment=&status=active to fill a token's scope.")
    public Uni<Page<Subscription>> list(@QueryParam("consumerSystem") String consumerSystem,
            @QueryParam("environment") String environment, @QueryParam("status") String status,
            @QueryParam("serviceCode") String serviceCode, @QueryParam("version") String version,
            @Valid @BeanParam PageRequest page) {
        if (environment != null && !Set.of("test", "production").contains(environment)) {
            throw ProblemException.field("environment", "enum", "must be test or production");
        }
        if (status != null && !STATUSES.contains(status)) {
            throw ProblemException.field("status", "enum", "must be one of " + STATUSES);
        }
        Actor actor = Actor.of(caller);
        String visible = null;
        if (!actor.isOperator() && !actor.is(Roles.AUDITOR) && !actor.is(Roles.SERVICE)) {
            visible = actor.agency();
            if (visible == null) {
                throw ProblemException.forbidden("Your token names no agency");
            }
        }
        return repository.list(new SubscriptionRepository.Filter(consumerSystem, environment, status, serviceCode, version,
                visible), page.page, page.size);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN, Roles.SERVICE })
    @Operation(summary = "One subscription")
    public Uni<Subscription> get(@PathParam("id") UUID id) {
        return service.get(Actor.of(caller), id);
    }

    @POST
    @Path("/{id}/approve")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Approve a pending subscription (provider side)",
            description = "Operator or the admin of the service's owner agency. Limits default to the version's rate limit; "
                    + "accessLevel to the level applied for. A lower level may be granted (least privilege), not a higher "
                    + "one (422 accessLevel/notAboveRequested).")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "limits",
            value = "{\"requestsPerSecond\":20,\"burst\":40,\"dailyQuota\":50000,\"accessLevel\":\"view\",\"reason\":\"Đúng mục đích\"}")))
    public Uni<Subscription> approve(@PathParam("id") UUID id, @Valid Decision body) {
        return service.decide(Actor.of(caller), id, Action.APPROVE, body);
    }

    @POST
    @Path("/{id}/reject")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Reject a pending subscription with a reason (provider side)")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "reason", value = "{\"reason\":\"Mục đích không phù hợp phạm vi chia sẻ\"}")))
    public Uni<Subscription> reject(@PathParam("id") UUID id, @Valid Decision body) {
        return service.decide(Actor.of(caller), id, Action.REJECT, body);
    }

    @POST
    @Path("/{id}/suspend")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Suspend an active subscription (provider side); routing refuses it within seconds")
    public Uni<Subscription> suspend(@PathParam("id") UUID id, @Valid Decision body) {
        return service.decide(Actor.of(caller), id, Action.SUSPEND, body);
    }

    @POST
    @Path("/{id}/resume")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Resume a suspended subscription (provider side)")
    public Uni<Subscription> resume(@PathParam("id") UUID id, @Valid Decision body) {
        return service.decide(Actor.of(caller), id, Action.RESUME, body);
    }

    @POST
    @Path("/{id}/end")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "End an active or suspended subscription (either side)")
    public Uni<Subscription> end(@PathParam("id") UUID id, @Valid Decision body) {
        return service.decide(Actor.of(caller), id, Action.END, body);
    }

    @PUT
    @Path("/{id}/period")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Change the last day of the period of use (provider side)",
            description = "Operator or the admin of the service's owner agency; pending, active or suspended subscriptions "
                    + "(else 409). periodEnd is a date in the province's calendar (Asia/Ho_Chi_Minh), on or after the "
                    + "period's start and not in the past. routing serves the subscription only from periodStart to "
                    + "periodEnd; catalog ends it after its last day (subscription.expired) and tells the subscriber "
                    + "30 days before (subscription.expiring). The subscriber is told of the change "
                    + "(subscription.period-changed). Audited.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "extend",
            value = "{\"periodEnd\":\"2027-12-31\",\"reason\":\"Gia hạn theo đề nghị của UBND huyện\"}")))
    public Uni<Subscription> changePeriod(@PathParam("id") UUID id,
            @Valid @NotNull(message = "a JSON body is required") PeriodChange body) {
        return service.changePeriod(Actor.of(caller), id, body);
    }

    @PUT
    @Path("/{id}/access-level")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Change the access level (provider side grants, consumer side lowers)",
            description = "REQUIREMENTS A3 (Lào Cai Art. 21): levels are reviewed and kept current. Operator or the admin "
                    + "of the service's owner agency: any level for an active or suspended subscription. The consumer "
                    + "agency's admin: a lower one (403 accessLevel/notRaisedByConsumer), or another level for a pending "
                    + "application (the provider's admin decides a pending one's level when approving: 409 "
                    + "accessLevel/decidedOnApproval). Ended or rejected: 409. routing applies it within seconds; the "
                    + "subscriber is told (subscription.access-changed). The same level again changes nothing. Audited.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "lower",
            value = "{\"accessLevel\":\"view\",\"reason\":\"Rà soát phân quyền định kỳ quý IV\"}")))
    public Uni<Subscription> changeAccessLevel(@PathParam("id") UUID id,
            @Valid @NotNull(message = "a JSON body is required") AccessChange body) {
        return service.changeAccessLevel(Actor.of(caller), id, body);
    }

    @POST
    @Path("/{id}/change-requests")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Ask the provider for a higher access level or a later end of use (consumer side)",
            description = "Operator or the consumer agency's admin, for an active or suspended subscription (else 409): "
                    + "accessLevel above the one held (422 aboveCurrent: lowering needs no one's approval, PUT "
                    + ".../access-level), periodEnd after the current last day (422 afterCurrent), or both, and a reason "
                    + "(required). One pending request per subscription (409 onePending). The provider side decides it "
                    + "under /api/v1/change-requests; a request still pending when the subscription ends lapses. Audited.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "more",
            value = "{\"accessLevel\":\"update\",\"periodEnd\":\"2027-12-31\",\"reason\":\"Cập nhật kết quả giải quyết hồ sơ về CSDL chuyên ngành\"}")))
    public Uni<Response> askForChange(@PathParam("id") UUID id,
            @Valid @NotNull(message = "a JSON body is required") ChangeTerms body) {
        return changeRequests.create(Actor.of(caller), id, body)
                .map(r -> Response.created(URI.create("/api/v1/change-requests/" + r.id())).entity(r).build());
    }

    @POST
    @Path("/{id}/carry-over")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Apply for the same use of a newer major version (consumer side)",
            description = "Creates a pending subscription to toVersion for the provider to approve; the old one stays until ended.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "to v2", value = "{\"toVersion\":\"v2\"}")))
    public Uni<Response> carryOver(@PathParam("id") UUID id, @Valid @NotNull CarryOver body) {
        return service.carryOver(Actor.of(caller), id, body.toVersion()).map(this::created);
    }

    @POST
    @Path("/{id}/webhook-secret")
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Issue a new webhook signing secret (consumer side); shown once",
            description = "Operator or the consumer agency's admin, for a subscription with a webhookUrl (else 409). The previous "
                    + "secret stops working at once: every delivery from now on, retries included, is signed with the new one.")
    public Uni<Response> rotateWebhookSecret(@PathParam("id") UUID id) {
        return webhookSecrets.rotate(Actor.of(caller), id).map(secret -> Response.ok(secret)
                .header("Cache-Control", "no-store").build());
    }

    /** The receiver's new address, or null to stop webhooks. */
    public record WebhookChange(@Size(max = 2048, message = "must be at most 2048 characters") String webhookUrl) {
    }

    @PUT
    @Path("/{id}/webhook")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Move, add or remove the subscription's webhook (consumer side)",
            description = "Operator or the consumer agency's admin; pending, active or suspended subscriptions (else 409). "
                    + "The URL follows the rules of an application (absolute http(s), not an internal address: 400 "
                    + "webhookUrl/publicAddress). Deliveries not yet made go to the new URL (pendingDeliveries counts them); "
                    + "removing the webhook (null) gives them up. A webhook added to a subscription that had none gets a "
                    + "new signing secret, shown in this answer only (webhookKeyId, webhookSecret); moving one keeps the "
                    + "secret. Audited.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = {
            @ExampleObject(name = "move", value = "{\"webhookUrl\":\"https://motcua.angiang.gov.vn/hooks/lgsp-v2\"}"),
            @ExampleObject(name = "stop", value = "{\"webhookUrl\":null}") }))
    public Uni<Response> changeWebhook(@PathParam("id") UUID id, @Valid @NotNull(message = "a JSON body is required") WebhookChange body) {
        return webhookEndpoints.change(Actor.of(caller), id, body.webhookUrl()).map(changed -> {
            com.fasterxml.jackson.databind.node.ObjectNode out = mapper.valueToTree(changed.subscription());
            out.put("pendingDeliveries", changed.retargeted());
            Response.ResponseBuilder r = Response.ok();
            if (changed.secret() != null) {
                out.put("webhookKeyId", changed.secret().keyId());
                out.put("webhookSecret", changed.secret().webhookSecret());
                r.header("Cache-Control", "no-store");
            }
            return r.entity(out).build();
        });
    }

    /**
     * A new subscription with a webhook answers its signing secret this once (never stored, never shown again;
     * rotate to get a new one). The audit record holds the subscription without it.
     */
    private Response created(Subscription s) {
        Response.ResponseBuilder r = Response.created(URI.create("/api/v1/subscriptions/" + s.id()));
        if (s.webhookUrl() == null) {
            return r.entity(s).build();
        }
        com.fasterxml.jackson.databind.node.ObjectNode body = mapper.valueToTree(s);
        WebhookSecretService.Secret secret = webhookSecrets.initial(s.id());
        body.put("webhookKeyId", secret.keyId());
        body.put("webhookSecret", secret.webhookSecret());
        return r.entity(body).header("Cache-Control", "no-store").build();
    }
}
