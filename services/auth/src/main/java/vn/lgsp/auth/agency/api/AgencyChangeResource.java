package vn.lgsp.auth.agency.api;

import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.auth.agency.service.AgencyChanges;
import vn.lgsp.auth.credential.repository.CredentialRepository.AgencyMove;
import vn.lgsp.common.audit.AdminAudit;
import vn.lgsp.common.id.AgencyCode;
import vn.lgsp.common.id.Codes;
import vn.lgsp.common.problem.Problem;
import vn.lgsp.common.problem.ProblemException;
import vn.lgsp.common.problem.ProblemType;
import vn.lgsp.common.problem.Validation;
import vn.lgsp.common.security.Caller;
import vn.lgsp.common.security.Roles;

/**
 * Registry is the source of truth for which agency a system belongs to and for agency codes; it tells auth here
 * so tokens, the hmac-keys feed (and through it the gateway's audit records) and agency-admin accounts follow.
 * Both calls are idempotent PUTs of the current state, because registry retries until one is accepted.
 */
@Path("/api/v1")
@Tag(name = "agency changes", description = "Registry reports a system moving to another agency or an agency's code being re-issued")
@SecurityRequirement(name = "bearer")
@Produces(MediaType.APPLICATION_JSON)
public class AgencyChangeResource {

    /** The only source of agency facts; any other caller could re-label systems at will. */
    static final String REGISTRY = Roles.SERVICE_SUBJECT_PREFIX + "registry";

    @Inject
    AgencyChanges changes;

    @Inject
    Caller caller;

    @Inject
    AdminAudit audit;

    @Inject
    Validator validator;

    public record SystemAgency(
            @NotNull(message = "is required") @Pattern(regexp = AgencyCode.REGEX, message = AgencyCode.RULE_MESSAGE) String agencyCode) {
    }

    public record SystemAgencyResult(String systemCode, String agencyCode, int credentialsUpdated) {
    }

    public record AgencyRecode(
            @NotNull(message = "is required") @Pattern(regexp = AgencyCode.REGEX, message = AgencyCode.RULE_MESSAGE) String newCode) {
    }

    public record AgencyRecodeResult(String oldCode, String newCode, int accountsUpdated, int credentialsUpdated) {
    }

    @PUT
    @Path("/systems/{systemCode}/agency")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SERVICE)
    @Operation(summary = "Set the agency of a system's credentials (service:registry only)",
            description = "Every credential of the system (all environments, kinds and statuses) takes the new agency code, in one "
                    + "transaction. Tokens issued from now on carry it in the agency claim and the hmac-keys feed lists it under "
                    + "a new revision; tokens already issued keep the old claim until they expire. Idempotent: "
                    + "credentialsUpdated counts the credentials changed by this call (0 also for a system without any).")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "move", value = """
            {"agencyCode":"000.00.00.H62"}""")))
    public Uni<SystemAgencyResult> moveSystem(@PathParam("systemCode") String systemCode, SystemAgency body) {
        requireRegistry();
        if (!systemCode.matches(Codes.SYSTEM_CODE)) {
            throw ProblemException.field("systemCode", "pattern", Codes.SYSTEM_CODE_MESSAGE);
        }
        // checked here, after the caller (annotations would run first): a refused caller learns nothing from the rules
        Validation.check(validator, body == null ? new SystemAgency(null) : body);
        String actor = caller.actor();
        return changes.moveSystem(systemCode, body.agencyCode()).map(moves -> {
            auditMoves(actor, moves, body.agencyCode());
            return new SystemAgencyResult(systemCode, body.agencyCode(), moves.size());
        });
    }

    @PUT
    @Path("/agencies/{oldCode}/code")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SERVICE)
    @Operation(summary = "Re-code an agency (service:registry only)",
            description = "The agency's code was re-issued: agency-admin accounts and credentials naming oldCode take newCode, in "
                    + "one transaction, so it does not matter whether registry reports this before or after moving the "
                    + "agency's systems. Idempotent: the counts are of rows changed by this call. 422 when newCode equals oldCode.")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "re-issue", value = """
            {"newCode":"000.00.00.K01"}""")))
    public Uni<AgencyRecodeResult> recodeAgency(@PathParam("oldCode") String oldCode, AgencyRecode body) {
        requireRegistry();
        if (!oldCode.matches(AgencyCode.REGEX)) {
            throw ProblemException.field("oldCode", "pattern", AgencyCode.RULE_MESSAGE);
        }
        body = body == null ? new AgencyRecode(null) : body;
        Validation.check(validator, body);
        String newCode = body.newCode();
        if (newCode.equals(oldCode)) {
            String message = "must differ from oldCode";
            throw new ProblemException(ProblemType.UNPROCESSABLE, "newCode: " + message,
                    List.of(new Problem.FieldError("newCode", "changed", message)), Map.of());
        }
        String actor = caller.actor();
        return changes.recodeAgency(oldCode, newCode).map(r -> {
            if (!r.accounts().isEmpty()) {
                audit.record(actor, "account.agency-code-change", "agency", oldCode, newCode, Map.of("agencyCode", oldCode),
                        Map.of("agencyCode", newCode, "accounts", r.accounts()));
            }
            auditMoves(actor, r.credentials(), newCode);
            return new AgencyRecodeResult(oldCode, newCode, r.accounts().size(), r.credentials().size());
        });
    }

    public record AgencyStatus(
            @NotNull(message = "is required") @Pattern(regexp = "ended", message = "must be ended (the only change registry reports)") String status) {
    }

    public record AgencyStatusResult(String agencyCode, String status, List<String> accountsDisabled) {
    }

    @PUT
    @Path("/agencies/{code}/status")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.SERVICE)
    @Operation(summary = "An agency ended: merged, split or dissolved (service:registry only)",
            description = "Its active agency-admin accounts are disabled (each audited like an operator's disable), so nobody keeps "
                    + "acting for a body that no longer exists; admin tokens already issued run out with their short "
                    + "lifetime. Idempotent: accountsDisabled lists the accounts this call disabled (empty the second time).")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, examples = @ExampleObject(name = "ended", value = """
            {"status":"ended"}""")))
    public Uni<AgencyStatusResult> endAgency(@PathParam("code") String code, AgencyStatus body) {
        requireRegistry();
        if (!code.matches(AgencyCode.REGEX)) {
            throw ProblemException.field("code", "pattern", AgencyCode.RULE_MESSAGE);
        }
        Validation.check(validator, body == null ? new AgencyStatus(null) : body);
        String actor = caller.actor();
        return changes.endAgency(code).map(disabled -> {
            disabled.forEach(username -> audit.record(actor, "disable", "account", username, code,
                    Map.of("status", "active"), Map.of("status", "disabled", "reason", "agency " + code + " ended")));
            return new AgencyStatusResult(code, "ended", disabled);
        });
    }

    private void requireRegistry() {
        if (!REGISTRY.equals(caller.subject())) {
            throw ProblemException.forbidden("Only registry (service:registry) may report agency changes");
        }
    }

    /** One event per system, whichever call moved its credentials, so a system's history shows every move. */
    private void auditMoves(String actor, List<AgencyMove> moves, String newCode) {
        Map<String, TreeSet<String>> before = new TreeMap<>();
        moves.forEach(m -> before.computeIfAbsent(m.systemCode(), k -> new TreeSet<>()).add(m.previousAgencyCode()));
        // Normally one old code; should a system's credentials have disagreed, all of them are named.
        before.forEach((system, old) -> audit.record(actor, "credential.agency-change", "system", system, newCode,
                Map.of("agencyCode", String.join(", ", old)), Map.of("agencyCode", newCode)));
    }
}
