package vn.lgsp.audit.integrity.api;

import io.vertx.mutiny.sqlclient.Row;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.audit.integrity.service.AnchorSigner;
import vn.lgsp.audit.integrity.service.IntegrityService;
import vn.lgsp.audit.integrity.service.IntegrityService.VerifyReport;
import vn.lgsp.audit.support.AuditClock;
import vn.lgsp.audit.support.Db;
import vn.lgsp.audit.support.Params;
import vn.lgsp.common.security.Roles;

@Path("/api/v1/integrity")
@Tag(name = "integrity", description = "Hash chain verification, signed daily anchors and the keys to check them")
@Produces(MediaType.APPLICATION_JSON)
public class IntegrityResource {

    static final int MAX_DAYS = 31;

    @Inject
    IntegrityService service;

    @Inject
    AnchorSigner signer;

    @Inject
    AuditClock clock;

    @Inject
    Db db;

    @GET
    @Path("/verify")
    @SecurityRequirement(name = "bearer")
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR })
    @Operation(summary = "Recompute the chain of each arrival day in [from, to] (UTC dates, at most 31 days) and check "
            + "the signed anchors; reports the first broken link (altered, missing, inserted, anchor-signature-invalid, "
            + "anchor-mismatch)")
    public VerifyReport verify(@QueryParam("from") String from, @QueryParam("to") String to) {
        LocalDate today = clock.now().atOffset(ZoneOffset.UTC).toLocalDate();
        LocalDate end = Params.date("to", to, today);
        LocalDate start = Params.date("from", from, end);
        Params.dayRange(start, end, MAX_DAYS);
        return service.verify(start, end);
    }

    @GET
    @Path("/anchors")
    @SecurityRequirement(name = "bearer")
    @RolesAllowed({ Roles.OPERATOR, Roles.AUDITOR })
    @Operation(summary = "Signed daily anchors in [from, to] (at most 366 days): the exact signed payload, the signature "
            + "(base64) and the key id; verify with the public key from /api/v1/integrity/keys")
    public List<Anchor> anchors(@QueryParam("from") String from, @QueryParam("to") String to) {
        LocalDate today = clock.now().atOffset(ZoneOffset.UTC).toLocalDate();
        LocalDate end = Params.date("to", to, today);
        LocalDate start = Params.date("from", from, end.minusDays(30));
        Params.dayRange(start, end, 366);
        List<Anchor> out = new ArrayList<>();
        for (Row r : db.q("SELECT * FROM audit_anchor WHERE chain_day BETWEEN $1 AND $2 ORDER BY chain_day", start, end)) {
            LocalDate day = r.getLocalDate("chain_day");
            long count = r.getLong("record_count");
            String hash = r.getString("last_hash");
            out.add(new Anchor(day, count, hash, new String(AnchorSigner.payload(day, count, hash), StandardCharsets.UTF_8),
                    r.getString("algorithm"), r.getString("key_id"), r.getString("signature"), Db.instant(r, "signed_at")));
        }
        return out;
    }

    @GET
    @Path("/keys")
    @PermitAll
    @Operation(summary = "Every public key that has signed anchors (public: anyone may verify)")
    public List<Key> keys() {
        List<Key> out = new ArrayList<>();
        boolean currentListed = false;
        for (Row r : db.q("SELECT * FROM audit_anchor_key ORDER BY first_used")) {
            boolean current = r.getString("key_id").equals(signer.keyId());
            currentListed |= current;
            out.add(new Key(r.getString("key_id"), r.getString("algorithm"), r.getString("public_key_pem"), current));
        }
        if (!currentListed) {
            out.add(new Key(signer.keyId(), signer.algorithm(), signer.publicKeyPem(), true));
        }
        return out;
    }

    /** One day's anchor; {@code payload} is exactly what was signed (UTF-8). */
    public record Anchor(LocalDate day, long count, String lastHash, String payload, String algorithm, String keyId,
            String signature, Instant signedAt) {
    }

    /** A verification key (SubjectPublicKeyInfo PEM). */
    public record Key(String keyId, String algorithm, String publicKeyPem, boolean current) {
    }
}
