package vn.lgsp.catalog.version.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.core.EntityTag;
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
import vn.lgsp.catalog.version.domain.VersionUpdate;
import vn.lgsp.catalog.version.repository.VersionRepository.HistoryEntry;
import vn.lgsp.catalog.version.service.OpenApiAccessLevels;
import vn.lgsp.catalog.version.service.VersionService;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;
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

    @Inject
    ObjectMapper mapper;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Add a major version (starts as draft)",
            description = "Operator or the owner agency's admin. Upstreams must be absolute http(s) URLs; upstreamAuth holds "
                    + "secret names only; timeoutMs ≤ 30000 (default 10000); maxRequestBytes ≤ 50 MiB (default 1 MiB); "
                    + "maxConnections 1..10000 (default 64): the most connections the whole gateway (all replicas "
                    + "together) opens to the upstream at once, split by routing across its replicas; calls beyond it "
                    + "wait for a free connection within timeoutMs; "
                    + "pipelining 1..16 (default 1, none): for a provider that handles HTTP/1.1 pipelining, how many "
                    + "GET/HEAD/OPTIONS requests routing sends ahead on one connection (on half of maxConnections; "
                    + "other methods one at a time on the other half); "
                    + "openapi, if given, must be an OpenAPI 3.x document; accessRules (REQUIREMENTS A3) "
                    + "[{methods?, path, level}], first match wins, say which operations need which access level (view, "
                    + "use, update, share; path: literal segments, * or {name} for one, a final ** for the rest); an "
                    + "operation no rule names needs view for GET/HEAD/OPTIONS, use for POST, update otherwise.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "v1", value = """
            {"version":"v1","upstreams":{"test":"http://dancu-test.angiang.gov.vn/api","production":"https://dancu.angiang.gov.vn/api"},
             "upstreamAuth":{"type":"oauth2_client_credentials","tokenUrl":"https://ndxp.gov.vn/oauth2/token",
             "clientId":"lgsp-angiang","clientSecretRef":"ndxp-client-secret","scope":"dan-cu"},
             "timeoutMs":10000,"requestFormat":"json","responseFormat":"json","convert":false,"maxRequestBytes":1048576,
             "maxConnections":64,"rateLimit":{"requestsPerSecond":20,"burst":40,"dailyQuota":50000},
             "accessRules":[{"methods":["POST"],"path":"/citizens/search","level":"view"},{"path":"/export/**","level":"share"}],
             "openapi":{"openapi":"3.0.3","info":{"title":"Dân cư","version":"1.0.0"},"paths":{"/citizens/{id}":{"get":{"responses":{"200":{"description":"OK"}}}}}}}""")))
    public Uni<Response> create(@PathParam("code") String code, @Valid @NotNull VersionRequest body) {
        return service.create(Actor.of(caller), code, body).map(v -> Response
                .created(URI.create("/api/v1/services/" + code + "/versions/" + v.version())).tag(tag(v))
                .entity(v.withoutDocument()).build());
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
    @Operation(summary = "One version, with its OpenAPI document", description = "Answers an ETag to send back as If-Match when editing it.")
    public Uni<Response> get(@PathParam("code") String code, @PathParam("version") String version) {
        return service.get(code, version).map(v -> Response.ok(v).tag(tag(v)).build());
    }

    static final String EDIT_RULES = "Needs If-Match (428 without it, 412 when stale). Draft and testing versions take any change "
            + "(an OpenAPI document is validated again). Published and deprecated versions take only upstreams (with a reason, "
            + "audited), timeoutMs, maxRequestBytes, maxConnections, pipelining, rateLimit and accessRules (with a reason, audited, every "
            + "open subscriber told: version.access-changed); other fields answer 409 rule "
            + "notEditableWhenPublished. Retired versions take nothing. The new route reaches routing through the change feed. rateLimit is the default "
            + "for subscriptions approved later; existing subscriptions keep their own limits.";

    @PUT
    @Path("/{version}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Replace a version's configuration (omitted settings take their defaults)", description = EDIT_RULES)
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "new production host",
            value = """
                    {"upstreams":{"test":"http://dancu-test.angiang.gov.vn/api","production":"https://dancu2.angiang.gov.vn/api"},
                     "timeoutMs":15000,"requestFormat":"json","responseFormat":"json","convert":false,"maxRequestBytes":1048576,
                     "maxConnections":64,"rateLimit":{"requestsPerSecond":20,"burst":40,"dailyQuota":50000},"reason":"Chuyển máy chủ"}""")))
    public Uni<Response> replace(@PathParam("code") String code, @PathParam("version") String version,
            @HeaderParam("If-Match") String ifMatch, @Valid @NotNull VersionUpdate body) {
        return service.update(Actor.of(caller), code, version, ifMatch, current -> body)
                .map(v -> Response.ok(v.withoutDocument()).tag(tag(v)).build());
    }

    @PATCH
    @Path("/{version}")
    @Consumes({ "application/merge-patch+json", MediaType.APPLICATION_JSON })
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Change some settings of a version (JSON merge patch, RFC 7386)",
            description = EDIT_RULES + " openapi and upstreamAuth are replaced whole, not merged; null removes an optional setting.")
    @RequestBody(content = @Content(mediaType = "application/merge-patch+json", examples = {
            @ExampleObject(name = "longer timeout", value = "{\"timeoutMs\":20000}"),
            @ExampleObject(name = "more upstream connections", value = "{\"maxConnections\":200}"),
            @ExampleObject(name = "move upstream", value = "{\"upstreams\":{\"production\":\"https://dancu2.angiang.gov.vn/api\"},\"reason\":\"Chuyển máy chủ\"}") }))
    public Uni<Response> patch(@PathParam("code") String code, @PathParam("version") String version,
            @HeaderParam("If-Match") String ifMatch, JsonNode body) {
        return service.update(Actor.of(caller), code, version, ifMatch, current -> service.merge(current, body))
                .map(v -> Response.ok(v.withoutDocument()).tag(tag(v)).build());
    }

    private static EntityTag tag(ServiceVersion v) {
        return new EntityTag(String.valueOf(v.rowVersion()));
    }

    @GET
    @Path("/{version}/openapi")
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN, Roles.SERVICE, Roles.SYSTEM })
    @Operation(summary = "The version's OpenAPI document, each operation with the access level it needs",
            description = "As uploaded, plus x-lgsp-access-level (view, use, update or share; REQUIREMENTS A3) on every "
                    + "operation: what a subscription must hold to call it, computed from the version's accessRules "
                    + "(else GET/HEAD/OPTIONS view, POST use, other methods update), as routing enforces it.")
    public Uni<JsonNode> openapi(@PathParam("code") String code, @PathParam("version") String version) {
        return service.get(code, version).map(v -> {
            if (v.openapi() == null) {
                throw ProblemException.notFound("An OpenAPI document for " + code + " " + version);
            }
            return OpenApiAccessLevels.annotate(v.openapi(), v.accessRules());
        });
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @PUT
    @Path("/{version}/openapi")
    @Consumes({ MediaType.APPLICATION_JSON, "application/vnd.oai.openapi+json", "application/yaml", "application/x-yaml",
            "text/yaml", "application/vnd.oai.openapi" })
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Upload (replace) the version's OpenAPI document, as JSON or YAML",
            description = "Draft and testing versions only (409 notEditableWhenPublished otherwise); needs If-Match. The document "
                    + "must be OpenAPI 3.0.x or 3.1.x with info.title, info.version and paths, and every $ref must resolve inside "
                    + "it; each error's field is the JSON pointer of the problem in the uploaded document, e.g. /info/title.")
    @RequestBody(content = @Content(mediaType = "application/yaml", examples = @ExampleObject(name = "yaml", value = """
            openapi: 3.0.3
            info: {title: Dân cư, version: 1.0.0}
            paths:
              /citizens/{id}:
                get:
                  responses: {'200': {description: OK}}""")))
    public Uni<Response> upload(@PathParam("code") String code, @PathParam("version") String version,
            @HeaderParam("If-Match") String ifMatch, @HeaderParam("Content-Type") String contentType, byte[] body) {
        JsonNode doc = readDocument(contentType, body);
        return service.uploadDocument(Actor.of(caller), code, version, ifMatch, doc)
                .map(v -> Response.ok(v.withoutDocument()).tag(tag(v)).build());
    }

    private JsonNode readDocument(String contentType, byte[] body) {
        if (body == null || body.length == 0) {
            throw new ProblemException(ProblemType.MALFORMED_BODY, "The body must be an OpenAPI document");
        }
        boolean yaml = contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).contains("yaml")
                || "application/vnd.oai.openapi".equalsIgnoreCase(contentType == null ? "" : contentType.split(";")[0].trim());
        try {
            return (yaml ? YAML : mapper).readTree(body);
        } catch (java.io.IOException e) {
            // Only the location: the parser's own message may echo the document.
            String where = e instanceof com.fasterxml.jackson.core.JsonProcessingException j && j.getLocation() != null
                    ? " at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr() : "";
            throw new ProblemException(ProblemType.MALFORMED_BODY, "The body is not well-formed " + (yaml ? "YAML" : "JSON") + where);
        }
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
