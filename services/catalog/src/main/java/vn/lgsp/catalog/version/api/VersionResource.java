package vn.lgsp.catalog.version.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.catalog.support.Actor;
import vn.lgsp.catalog.version.domain.RetirementNotice;
import vn.lgsp.catalog.version.domain.ServiceVersion;
import vn.lgsp.catalog.version.domain.TransitionRequest;
import vn.lgsp.catalog.version.domain.VersionRequest;
import vn.lgsp.catalog.version.repository.VersionRepository.HistoryEntry;
import vn.lgsp.catalog.version.service.VersionService;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.security.Caller;
import vn.lgsp.common.security.Roles;

@Path("/api/v1/services/{code}/versions")
@Tag(name = "versions", description = "Major versions of a data service, their upstreams and lifecycle")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class VersionResource {

    @Inject
    VersionService service;

    @Inject
    Caller caller;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Add a major version (starts as draft)",
            description = "Operator or the owner agency's admin. Upstreams must be absolute http(s) URLs; upstreamAuth holds "
                    + "secret names only; timeoutMs ≤ 30000 (default 10000); maxRequestBytes ≤ 50 MiB (default 1 MiB); "
                    + "openapi, if given, must be an OpenAPI 3.x document.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "v1", value = """
            {"version":"v1","upstreams":{"test":"http://dancu-test.angiang.gov.vn/api","production":"https://dancu.angiang.gov.vn/api"},
             "upstreamAuth":{"type":"oauth2_client_credentials","tokenUrl":"https://ndxp.gov.vn/oauth2/token",
             "clientId":"lgsp-angiang","clientSecretRef":"ndxp-client-secret","scope":"dan-cu"},
             "timeoutMs":10000,"requestFormat":"json","responseFormat":"json","convert":false,"maxRequestBytes":1048576,
             "rateLimit":{"requestsPerSecond":20,"burst":40,"dailyQuota":50000},
             "openapi":{"openapi":"3.0.3","info":{"title":"Dân cư","version":"1.0.0"},"paths":{"/citizens/{id}":{"get":{"responses":{"200":{"description":"OK"}}}}}}}""")))
    public Uni<Response> create(@PathParam("code") String code, @Valid @NotNull VersionRequest body) {
        return service.create(Actor.of(caller), code, body).map(v -> Response
                .created(URI.create("/api/v1/services/" + code + "/versions/" + v.version())).entity(v.withoutDocument()).build());
    }

    @GET
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN, Roles.SERVICE, Roles.SYSTEM })
    @Operation(summary = "Versions of a service, oldest first (without their OpenAPI documents)")
    public Uni<List<ServiceVersion>> list(@PathParam("code") String code) {
        return service.list(code);
    }

    @GET
    @Path("/{version}")
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN, Roles.SERVICE, Roles.SYSTEM })
    @Operation(summary = "One version, with its OpenAPI document")
    public Uni<ServiceVersion> get(@PathParam("code") String code, @PathParam("version") String version) {
        return service.get(code, version);
    }

    @GET
    @Path("/{version}/openapi")
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN, Roles.SERVICE, Roles.SYSTEM })
    @Operation(summary = "The version's OpenAPI document as uploaded")
    public Uni<JsonNode> openapi(@PathParam("code") String code, @PathParam("version") String version) {
        return service.get(code, version).map(v -> {
            if (v.openapi() == null) {
                throw ProblemException.notFound("An OpenAPI document for " + code + " " + version);
            }
            return v.openapi();
        });
    }

    @POST
    @Path("/{version}/transitions")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Move a version through its lifecycle",
            description = "draft → testing → published → deprecated → retired (testing → draft also allowed); others are 409 "
                    + "illegal-transition. Deprecating needs a published newer major version and sunsetAt ≥ its publishedAt + 180 days "
                    + "(rule minOverlap180Days). Retiring needs a retirement notice whose retireAt has come. Subscribers are notified.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = {
            @ExampleObject(name = "publish", value = "{\"to\":\"published\",\"comment\":\"Kiểm thử xong\"}"),
            @ExampleObject(name = "deprecate", value = "{\"to\":\"deprecated\",\"sunsetAt\":\"2027-06-01T00:00:00Z\",\"comment\":\"Chuyển sang v2\"}") }))
    public Uni<ServiceVersion> transition(@PathParam("code") String code, @PathParam("version") String version,
            @Valid @NotNull TransitionRequest body) {
        return service.transition(Actor.of(caller), code, version, body).map(ServiceVersion::withoutDocument);
    }

    @POST
    @Path("/{version}/retirement-notice")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Announce the retirement date of a published or deprecated version",
            description = "retireAt must be at least 60 days from now (rule minNotice60Days) and not before the sunset. "
                    + "Every subscriber gets a notification.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON,
            examples = @ExampleObject(name = "notice", value = "{\"retireAt\":\"2027-09-01T00:00:00Z\",\"comment\":\"Ngừng v1\"}")))
    public Uni<ServiceVersion> notice(@PathParam("code") String code, @PathParam("version") String version,
            @Valid @NotNull RetirementNotice body) {
        return service.retirementNotice(Actor.of(caller), code, version, body).map(ServiceVersion::withoutDocument);
    }

    @GET
    @Path("/{version}/history")
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN, Roles.SERVICE })
    @Operation(summary = "Lifecycle history of a version: who moved it, when, why")
    public Uni<List<HistoryEntry>> history(@PathParam("code") String code, @PathParam("version") String version) {
        return service.history(code, version);
    }
}
