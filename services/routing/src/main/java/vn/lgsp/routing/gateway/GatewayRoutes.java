package vn.lgsp.routing.gateway;

import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Mounts the data plane directly on the Quarkus HTTP server's Vert.x router, beside (not through) the REST
 * layer, which keeps {@code /api/...}, {@code /q/...} and {@code /.well-known/...}.
 */
@ApplicationScoped
public class GatewayRoutes {

    /** {@code /{serviceCode}/{version}/...}; admin, platform and well-known paths are not gateway calls. */
    public static final String DATA_PLANE = "^/(?!q/|api/|\\.well-known/)([^/]+)/(v[0-9]+)(/.*)?$";

    @Inject
    Pipeline pipeline;

    void mount(@Observes Router router) {
        router.routeWithRegex(DATA_PLANE).order(-10).handler(pipeline::handle);
    }
}
