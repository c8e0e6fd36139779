package vn.lgsp.catalog.publiccatalog.api;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.catalog.dataservice.domain.DataService;
import vn.lgsp.catalog.dataservice.domain.Documentation;
import vn.lgsp.catalog.dataservice.repository.DataServiceRepository;
import vn.lgsp.common.paging.Page;
import vn.lgsp.common.paging.PageRequest;
import vn.lgsp.common.security.Roles;

/** Read-only views for people browsing what is shared: the shared-data catalog and the public list of open data. */
@Path("/api/v1")
@Tag(name = "catalog views", description = "The shared-data catalog (Lào Cai Art. 7.3) and the public list of open services")
@Produces(MediaType.APPLICATION_JSON)
public class CatalogViewResource {

    @Inject
    DataServiceRepository repository;

    @GET
    @Path("/shared-data-catalog")
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR, Roles.AGENCY_ADMIN, Roles.SERVICE, Roles.SYSTEM })
    @Operation(summary = "The shared-data catalog",
            description = "Services with a published or deprecated version, with the fields of Lào Cai Art. 7.3: name, owner "
                    + "agency, description, sharing scope, method, update frequency, standards and formats.")
    public Uni<Page<CatalogEntry>> sharedData(@QueryParam("q") String q, @Valid @BeanParam PageRequest page) {
        return repository.list(new DataServiceRepository.Filter(q, null, null, null, true, null), "code", false, page.page,
                page.size).map(p -> p.map(CatalogEntry::of));
    }

    @GET
    @Path("/public/open-services")
    @PermitAll
    @Operation(summary = "Open data services (no credentials needed)",
            description = "Published services of data class open that hold no personal data.")
    public Uni<Page<OpenService>> openServices(@QueryParam("q") String q, @Valid @BeanParam PageRequest page) {
        return repository.list(new DataServiceRepository.Filter(q, "open", null, "published", false, false), "code", false,
                page.page, page.size).map(p -> p.map(OpenService::of));
    }

    /** One line of the shared-data catalog. */
    public record CatalogEntry(String code, String name, String ownerAgencyCode, String description, String category,
            String dataClass, String sharingScope, String sharingMethod, String updateFrequency, List<String> standards,
            List<String> formats) {

        static CatalogEntry of(DataService s) {
            return new CatalogEntry(s.code(), s.name(), s.ownerAgencyCode(), s.description(), s.category(),
                    s.dataClass().wire(), s.sharingScope(), s.sharingMethod().wire(), s.updateFrequency(), s.standards(),
                    s.formats());
        }
    }

    /** An open service as the public sees it: no contact person, no internal fields. */
    public record OpenService(String code, String name, String ownerAgencyCode, String description, String category,
            String sharingMethod, String updateFrequency, List<String> standards, List<String> formats,
            Documentation documentation) {

        static OpenService of(DataService s) {
            return new OpenService(s.code(), s.name(), s.ownerAgencyCode(), s.description(), s.category(),
                    s.sharingMethod().wire(), s.updateFrequency(), s.standards(), s.formats(), s.documentation());
        }
    }
}
