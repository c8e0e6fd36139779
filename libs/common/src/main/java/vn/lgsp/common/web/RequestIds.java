package vn.lgsp.common.web;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.regex.Pattern;
import org.jboss.logging.MDC;
import vn.lgsp.common.id.Uuids;

/**
 * Gives every request an id, taken from a well-formed {@code X-Request-Id} or made up, and echoes it
 * back. It goes into the logging MDC so every log line of the request carries it, and into problem
 * documents so an integrator can quote it.
 */
@ApplicationScoped
public class RequestIds {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    /** Ids from outside are echoed into logs and headers: accept only short, plain tokens. */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._:-]{8,64}");

    void register(@Observes Filters filters) {
        // Runs before every other handler, including health and metrics (routing's data plane has its own server).
        filters.register(rc -> {
            String id = accept(rc.request().getHeader(HEADER));
            MDC.put(MDC_KEY, id);
            rc.response().headers().set(HEADER, id);
            rc.next();
        }, 1000);
    }

    /** The caller's id if it is well formed, otherwise a fresh one (unique, not secret: no SecureRandom lock per call). */
    public static String accept(String candidate) {
        return candidate != null && SAFE.matcher(candidate).matches() ? candidate : Uuids.fastRandom().toString();
    }
}
