package vn.lgsp.catalog.support;

import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import vn.lgsp.catalog.dataservice.service.DataServiceService.PatchUnreadable;
import vn.lgsp.common.problem.ProblemMappers;

/** A merge patch that yields an unreadable service is answered like an unreadable body. */
public class CatalogMappers {

    private final ProblemMappers common = new ProblemMappers();

    @ServerExceptionMapper
    public Response patchUnreadable(PatchUnreadable e, HttpServerRequest request) {
        return common.json(e.json(), request);
    }
}
