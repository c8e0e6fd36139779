package vn.lgsp.auth.signature.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.auth.signature.service.HmacKeyFeed;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.security.Caller;
import vn.lgsp.common.security.Roles;

@Path("/api/v1/feed/hmac-keys")
@Tag(name = "feeds", description = "What routing and the other services poll, so none calls auth per request")
@SecurityRequirement(name = "bearer")
public class HmacKeyFeedResource {

    /** The only caller allowed to hold every secret key: the gateway verifies signatures itself. */
    static final String GATEWAY = Roles.SERVICE_SUBJECT_PREFIX + "routing";

    @Inject
    HmacKeyFeed feed;

    @Inject
    Caller caller;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KeyView(String accessKey, String secretKey, String systemCode, String agencyCode, String environment,
            Instant expiresAt, String previousSecretKey, Instant previousValidUntil) {
    }

    public record FeedView(long revision, List<KeyView> keys) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SERVICE)
    @Operation(summary = "Secret keys of active hmac credentials, for the gateway only (service:routing)",
            description = "ETag is the revision (monotonic; changes when an hmac credential is created, rotated, revoked or "
                    + "expires); send it back in If-None-Match to get 304. One entry per access key; during a rotation "
                    + "overlap the entry also carries previousSecretKey until previousValidUntil: accept a signature made "
                    + "with either. Cache-Control: no-store.")
    public Uni<Response> keys(@HeaderParam("If-None-Match") String ifNoneMatch) {
        if (!GATEWAY.equals(caller.subject())) {
            throw ProblemException.forbidden("Only the gateway (service:routing) may read secret keys");
        }
        return feed.snapshot().map(snapshot -> {
            EntityTag tag = new EntityTag(Long.toString(snapshot.revision()));
            if (matches(ifNoneMatch, tag)) {
                return Response.notModified(tag).header("Cache-Control", "no-store").build();
            }
            HmacKeyFeed.Feed f = feed.feed(snapshot);
            List<KeyView> keys = f.keys().stream().map(e -> new KeyView(e.accessKey(), e.secretKey(), e.systemCode(),
                    e.agencyCode(), e.environment(), e.expiresAt(), e.previousSecretKey(), e.previousValidUntil())).toList();
            return Response.ok(new FeedView(f.revision(), keys)).tag(tag).header("Cache-Control", "no-store")
                    .header("Pragma", "no-cache").build();
        });
    }

    static boolean matches(String ifNoneMatch, EntityTag tag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String c = candidate.trim();
            if (c.startsWith("W/")) {
                c = c.substring(2);
            }
            if (c.equals("*") || c.equals("\"" + tag.getValue() + "\"")) {
                return true;
            }
        }
        return false;
    }
}
