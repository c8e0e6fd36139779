package vn.lgsp.auth.revocation.api;

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
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.auth.config.AuthConfig;
import vn.lgsp.auth.revocation.repository.RevocationRepository;
import vn.lgsp.common.security.Roles;

@Path("/api/v1/feed/revocations")
@Tag(name = "feeds", description = "What routing and the other services poll, so none calls auth per request")
@SecurityRequirement(name = "bearer")
public class RevocationFeedResource {

    @Inject
    RevocationRepository repository;

    @Inject
    AuthConfig config;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SERVICE)
    @Operation(summary = "Revoked credentials, tokens and admin accounts whose tokens could still be presented",
            description = "revokedClientIds: every token of these credentials; revokedTokenIds: these jti; revokedSubjects: "
                    + "tokens without client_id whose sub is subject and iat ≤ issuedAtOrBefore. ETag is the revision; "
                    + "send it back in If-None-Match to get 304 when nothing was revoked since.")
    public Uni<Response> feed(@HeaderParam("If-None-Match") String ifNoneMatch) {
        return repository.revision().chain(revision -> {
            EntityTag tag = new EntityTag(Long.toString(revision));
            if (matches(ifNoneMatch, tag)) {
                return Uni.createFrom().item(Response.notModified(tag).build());
            }
            Instant since = Instant.now().minus(config.effectiveKeyOverlap());
            return repository.feed(since).map(feed -> Response.ok(feed)
                    .tag(new EntityTag(Long.toString(feed.revision()))).header("Cache-Control", "no-cache").build());
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
