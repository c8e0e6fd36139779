package vn.lgsp.routing.upstreamauth;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import jakarta.inject.Singleton;
import jakarta.inject.Inject;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;
import vn.lgsp.routing.snapshot.domain.Route;
import vn.lgsp.routing.snapshot.domain.UpstreamAuth;

/**
 * Adds the credentials a version's provider expects (catalog's upstreamAuth) to the headers the provider receives.
 * When they cannot be obtained the call is refused with 502 {@code upstream-auth-failed} instead of reaching the
 * provider unauthenticated.
 */
@Singleton
public class UpstreamCredentials {

    @Inject
    UpstreamSecrets secrets;

    @Inject
    UpstreamTokens tokens;

    /** True when the route needs nothing, so the caller can stay on its synchronous fast path. */
    public static boolean none(Route route) {
        return route.upstreamAuth() == null || route.upstreamAuth().type() == UpstreamAuth.Type.NONE;
    }

    public Future<Void> addTo(Route route, MultiMap headers) {
        UpstreamAuth auth = route.upstreamAuth();
        return switch (auth.type()) {
            case NONE -> Future.succeededFuture();
            case INVALID -> Future.failedFuture(failed(route, auth.problem()));
            case STATIC_HEADER -> secrets.get(auth.secretRef())
                    .<Void>map(value -> {
                        headers.set(auth.headerName(), value);
                        return null;
                    })
                    .recover(e -> Future.failedFuture(failed(route, e.getMessage())));
            case OAUTH2_CLIENT_CREDENTIALS -> secrets.get(auth.clientSecretRef())
                    .compose(secret -> tokens.token(auth.tokenUrl(), auth.clientId(), secret, auth.scope()))
                    .<Void>map(token -> {
                        headers.set("Authorization", "Bearer " + token);
                        return null;
                    })
                    .recover(e -> Future.failedFuture(failed(route, e.getMessage())));
        };
    }

    private static ProblemException failed(Route route, String why) {
        return new ProblemException(ProblemType.UPSTREAM_AUTH_FAILED, "The gateway could not authenticate to the provider of "
                + route.serviceCode() + " " + route.version() + ": " + why);
    }
}
