package vn.lgsp.catalog.dataservice.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.catalog.dataservice.domain.DataClass;
import vn.lgsp.catalog.dataservice.domain.DataService;
import vn.lgsp.catalog.dataservice.domain.DataServiceRequest;
import vn.lgsp.catalog.dataservice.repository.DataServiceRepository;
import vn.lgsp.catalog.dataservice.service.DataServiceService;
import vn.lgsp.catalog.support.Actor;
import vn.lgsp.common.id.AgencyCode;
import vn.lgsp.common.paging.Page;
import vn.lgsp.common.paging.PageRequest;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.security.Caller;
import vn.lgsp.common.security.Roles;

@Path("/api/v1/services")
@Tag(name = "data services", description = "What providers publish: data services with their catalog fields and documentation")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class DataServiceResource {

    static final String EXAMPLE = """
            {"code":"dan-cu","name":"Tra cứu thông tin công dân","description":"Thông tin cơ bản về công dân",
             "ownerAgencyCode":"000.00.00.H62","providerSystemCode":"HTTT-DANCU","category":"dân cư","dataClass":"master",
             "personalData":true,"sharingScope":"Cơ quan nhà nước trong tỉnh","sharingMethod":"api","updateFrequency":"hằng ngày",
             "formats":["json","xml"],"standards":["QCVN 109:2017/BTTTT"],
             "contact":{"name":"Nguyễn Văn A","position":"Chuyên viên","phone":"+84 296 3800 000","email":"a@angiang.gov.vn"},
             "documentation":{"interfaceAndProtocols":"REST/JSON over HTTPS","security":"OAuth2 + TLS 1.2",
             "capacity":"50 req/s","connectionProcedure":"Đăng ký qua LGSP","dataQuality":"Cập nhật từ CSDL quốc gia",
             "presentationRules":"UTF-8, ISO 8601 dates"}}""";

    @Inject
    DataServiceService service;

    @Inject
    DataServiceRepository repository;

    @Inject
    Caller caller;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Register a data service",
            description = "Operator, or the agency admin of ownerAgencyCode. The providing system must be registered in registry "
                    + "and belong to the owner agency (else 422 naming providerSystemCode). A taken code is 409.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "citizen data", value = EXAMPLE)))
    public Uni<Response> create(@Valid @NotNull DataServiceRequest body) {
        return service.create(Actor.of(caller), body).map(s -> Response.created(URI.create("/api/v1/services/" + s.code()))
                .tag(new jakarta.ws.rs.core.EntityTag(String.valueOf(s.rowVersion()))).entity(s).build());
    }

    @GET
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN, Roles.SERVICE, Roles.SYSTEM })
    @Operation(summary = "Browse data services",
            description = "Free text q (code, name, description, category), filters, paging (page, size ≤ 200) and sort "
                    + "(code, name, createdAt, updatedAt, ownerAgency; prefix '-' for descending).")
    public Uni<Page<DataService>> list(@QueryParam("q") String q, @QueryParam("dataClass") String dataClass,
            @QueryParam("ownerAgency") String ownerAgency, @QueryParam("status") String status,
            @QueryParam("sort") String sort, @Valid @BeanParam PageRequest page) {
        if (dataClass != null) {
            try {
                DataClass.of(dataClass);
            } catch (IllegalArgumentException e) {
                throw ProblemException.field("dataClass", "enum", "must be one of master, domain, shared, open, steering");
            }
        }
        if (ownerAgency != null && !AgencyCode.isValid(ownerAgency)) {
            throw ProblemException.field("ownerAgency", "pattern", AgencyCode.RULE_MESSAGE);
        }
        if (status != null && !java.util.Set.of("draft", "testing", "published", "deprecated", "retired").contains(status)) {
            throw ProblemException.field("status", "enum", "must be a version status: draft, testing, published, deprecated, retired");
        }
        String s = sort == null || sort.isBlank() ? "code" : sort;
        boolean desc = s.startsWith("-");
        String column = DataServiceRepository.SORTS.get(desc ? s.substring(1) : s);
        if (column == null) {
            throw ProblemException.field("sort", "enum", "must be one of " + DataServiceRepository.SORTS.keySet()
                    + ", optionally prefixed with '-'");
        }
        return repository.list(new DataServiceRepository.Filter(q, dataClass, ownerAgency, status, false, null), column, desc,
                page.page, page.size);
    }

    @GET
    @Path("/{code}")
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN, Roles.SERVICE, Roles.SYSTEM })
    @Operation(summary = "One data service", description = "Answers an ETag to send back as If-Match when changing it.")
    public Uni<Response> get(@PathParam("code") String code) {
        return repository.find(code).map(s -> {
            if (s == null) {
                throw ProblemException.notFound("Data service " + code);
            }
            return Response.ok(s).tag(new jakarta.ws.rs.core.EntityTag(String.valueOf(s.rowVersion()))).build();
        });
    }

    @PUT
    @Path("/{code}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Replace a data service", description = "Needs If-Match (428 without it, 412 when stale). The code cannot change.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "citizen data", value = EXAMPLE)))
    public Uni<Response> replace(@PathParam("code") String code, @HeaderParam("If-Match") String ifMatch,
            @Valid @NotNull DataServiceRequest body) {
        return service.update(Actor.of(caller), code, ifMatch, current -> body).map(DataServiceResource::withTag);
    }

    @PATCH
    @Path("/{code}")
    @Consumes({ "application/merge-patch+json", MediaType.APPLICATION_JSON })
    @RolesAllowed({ Roles.OPERATOR, Roles.AGENCY_ADMIN })
    @Operation(summary = "Change some fields of a data service (JSON merge patch, RFC 7386)",
            description = "Needs If-Match (428 without it, 412 when stale). null removes an optional field.")
    @RequestBody(content = @Content(mediaType = "application/merge-patch+json",
            examples = @ExampleObject(name = "rename", value = "{\"name\":\"Tra cứu công dân (bản mới)\",\"contact\":{\"phone\":\"+84 296 3800 001\"}}")))
    public Uni<Response> patch(@PathParam("code") String code, @HeaderParam("If-Match") String ifMatch, JsonNode body) {
        return service.update(Actor.of(caller), code, ifMatch, current -> service.merge(current, body))
                .map(DataServiceResource::withTag);
    }

    private static Response withTag(DataService s) {
        return Response.ok(s).tag(new jakarta.ws.rs.core.EntityTag(String.valueOf(s.rowVersion()))).build();
    }
}
