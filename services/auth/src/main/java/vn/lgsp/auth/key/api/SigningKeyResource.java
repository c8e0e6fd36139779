package vn.lgsp.auth.key.api;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.auth.key.service.SigningKeys;
import vn.lgsp.auth.key.service.SigningKeys.RotationResult;
import vn.lgsp.common.audit.AdminAudit;
import vn.lgsp.common.security.Caller;
import vn.lgsp.common.security.Roles;

@Path("/api/v1/signing-keys")
@Tag(name = "signing-keys", description = "The RSA keys that sign every platform token")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class SigningKeyResource {

    @Inject
    SigningKeys keys;

    @Inject
    Caller caller;

    @Inject
    AdminAudit audit;

    /** A key as operators see it: never the private part. */
    public record KeyView(String kid, String algorithm, String status, Instant createdAt, Instant retiredAt,
            Instant publishedUntil) {
    }

    @GET
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR })
    @Operation(summary = "Published signing keys", description = "The active key and retired keys still in the JWKS.")
    public Uni<List<KeyView>> list() {
        return keys.reload().map(s -> s.published().stream()
                .map(k -> new KeyView(k.kid(), k.algorithm(), k.status(), k.createdAt(), k.retiredAt(), k.expiresAt()))
                .toList());
    }

    @POST
    @Path("/rotate")
    @RolesAllowed(Roles.OPERATOR)
    @Operation(summary = "Rotate the signing key",
            description = "A new key signs from now on; the old one stays in the JWKS for the overlap "
                    + "(lgsp.auth.key-overlap, default the longest token lifetime + 5 min) so tokens it signed stay verifiable.")
    public Uni<RotationResult> rotate() {
        String actor = caller.actor();
        return keys.rotate().invoke(r -> audit.record(actor, "rotate", "signing-key", r.activeKid(), null,
                r.retiredKid() == null ? null : java.util.Map.of("activeKid", r.retiredKid()),
                java.util.Map.of("activeKid", r.activeKid(), "retiredKidPublishedUntil", r.retiredKidPublishedUntil().toString())));
    }
}
