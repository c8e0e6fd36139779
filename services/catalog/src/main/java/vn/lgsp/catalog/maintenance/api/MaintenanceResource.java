package vn.lgsp.catalog.maintenance.api;

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
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.catalog.maintenance.domain.MaintenanceCancel;
import vn.lgsp.catalog.maintenance.domain.MaintenanceRequest;
import vn.lgsp.catalog.maintenance.domain.MaintenanceWindow;
import vn.lgsp.catalog.maintenance.repository.MaintenanceRepository;
import vn.lgsp.catalog.maintenance.service.MaintenanceService;
import vn.lgsp.catalog.support.Actor;
import vn.lgsp.common.id.Environment;
import vn.lgsp.common.paging.Page;
import vn.lgsp.common.paging.PageRequest;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.security.Caller;
import vn.lgsp.common.security.Roles;

@Path("/api/v1/maintenance-windows")
@Tag(name = "maintenance", description = "Announced maintenance of the platform or of services (An Giang Art. 17.8): "
        + "connected parties are told before, routing refuses calls during unavailable windows")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class MaintenanceResource {

    private static final String EXAMPLE = """
            {"title":"Nâng cấp cơ sở dữ liệu dân cư","description":"Chuyển sang máy chủ mới; dịch vụ tạm dừng.",
             "services":["dan-cu"],"environment":"production","impact":"unavailable",
             "startsAt":"2026-11-29T17:00:00Z","endsAt":"2026-11-29T21:00:00Z"}""";

    @Inject
    MaintenanceService service;

    @Inject
    MaintenanceRepository repository;

    @Inject
    Caller caller;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Announce maintenance",
            description = "Operator: of the whole platform (no services) or of any services; agency admin: of its own agency's "
                    + "services. startsAt at least lgsp.catalog.maintenance-min-notice (24 h) ahead unless emergency "
                    + "with a reason; at most maintenance-max-duration (7 days) long. Every active or suspended "
                    + "subscription concerned is told (notification maintenance.scheduled, signed webhook); routing "
                    + "refuses the calls an unavailable window covers while it lasts (503 maintenance, Retry-After). "
                    + "The answer says how many subscriptions were told (subscribersNotified). Audited.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "database upgrade",
            value = EXAMPLE)))
    public Uni<Response> announce(@Valid @NotNull(message = "a JSON body is required") MaintenanceRequest body) {
        return service.announce(Actor.of(caller), body).map(w -> Response.created(URI.create("/api/v1/maintenance-windows/" + w.id()))
                .entity(w).tag(tag(w)).build());
    }

    @GET
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN, Roles.SYSTEM, Roles.SERVICE })
    @Operation(summary = "Maintenance windows",
            description = "state: current (default: scheduled or in progress, soonest first), scheduled, in-progress, "
                    + "completed, cancelled, all (history newest first). serviceCode / environment: the windows that "
                    + "cover it, the platform's included.")
    public Uni<Page<MaintenanceWindow>> list(@QueryParam("state") String state, @QueryParam("serviceCode") String serviceCode,
            @QueryParam("environment") String environment, @Valid @BeanParam PageRequest page) {
        String s = state == null || state.isBlank() ? "current" : state;
        if (!MaintenanceRepository.STATES.containsKey(s)) {
            throw ProblemException.field("state", "enum", "must be one of " + MaintenanceRepository.STATES.keySet());
        }
        if (environment != null) {
            try {
                Environment.parse(environment);
            } catch (IllegalArgumentException e) {
                throw ProblemException.field("environment", "enum", "must be test or production");
            }
        }
        return repository.list(s, serviceCode, environment, page.page, page.size);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN, Roles.SYSTEM, Roles.SERVICE })
    @Operation(summary = "One maintenance window", description = "Answers an ETag to send back as If-Match when changing it.")
    public Uni<Response> get(@PathParam("id") UUID id) {
        return service.get(id).map(w -> Response.ok(w).tag(tag(w)).build());
    }

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Reschedule or reword a window",
            description = "Operator, or an admin of the agency that announced it; If-Match required (428, stale 412). Services "
                    + "and environment stay as announced (409 fixed). A scheduled window may be postponed freely or "
                    + "brought forward within the minimum notice; a window in progress keeps its start and may move "
                    + "its end (not into the past: cancel to end it now); completed or cancelled ones are history (409). "
                    + "Subscribers are told when the times or the impact change (maintenance.rescheduled). Audited.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "postponed",
            value = EXAMPLE)))
    public Uni<Response> reschedule(@PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch,
            @Valid @NotNull(message = "a JSON body is required") MaintenanceRequest body) {
        return service.reschedule(Actor.of(caller), id, ifMatch, body).map(w -> Response.ok(w).tag(tag(w)).build());
    }

    @POST
    @Path("/{id}/cancel")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Cancel a window (or end one in progress now)",
            description = "Operator, or an admin of the agency that announced it; If-Match optional. routing serves the "
                    + "calls again at once; subscribers are told with the reason (maintenance.cancelled). Audited.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "done early",
            value = "{\"reason\":\"Hoàn thành sớm\"}")))
    public Uni<Response> cancel(@PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch,
            @Valid @NotNull(message = "a JSON body is required") MaintenanceCancel body) {
        return service.cancel(Actor.of(caller), id, ifMatch, body.reason()).map(w -> Response.ok(w).tag(tag(w)).build());
    }

    private static EntityTag tag(MaintenanceWindow w) {
        return new EntityTag(String.valueOf(w.rowVersion()));
    }
}
