package vn.lgsp.registry.agency.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import vn.lgsp.common.id.AgencyCode;
import vn.lgsp.registry.support.Validation;

/** Request bodies of the agency API. Unknown fields are refused (quarkus.jackson.fail-on-unknown-properties). */
public final class AgencyRequests {

    private AgencyRequests() {
    }

    public record CreateAgency(
            @NotBlank @Pattern(regexp = AgencyCode.REGEX, message = AgencyCode.RULE_MESSAGE) String code,
            @NotBlank @Size(max = 255) @Pattern(regexp = Validation.NO_CONTROL, message = Validation.NO_CONTROL_MESSAGE) String name,
            @Size(max = 64) @Pattern(regexp = Validation.NO_CONTROL, message = Validation.NO_CONTROL_MESSAGE) String shortName,
            @Pattern(regexp = AgencyCode.REGEX, message = AgencyCode.RULE_MESSAGE) String parentCode,
            @NotBlank @Pattern(regexp = Validation.AGENCY_LEVEL, message = Validation.AGENCY_LEVEL_MESSAGE) String level) {
    }

    /** A correction of the record; an official rename or a new code goes through /rename so it enters the history. */
    public record UpdateAgency(
            @NotBlank @Size(max = 255) @Pattern(regexp = Validation.NO_CONTROL, message = Validation.NO_CONTROL_MESSAGE) String name,
            @Size(max = 64) @Pattern(regexp = Validation.NO_CONTROL, message = Validation.NO_CONTROL_MESSAGE) String shortName,
            @Pattern(regexp = AgencyCode.REGEX, message = AgencyCode.RULE_MESSAGE) String parentCode,
            @NotBlank @Pattern(regexp = Validation.AGENCY_LEVEL, message = Validation.AGENCY_LEVEL_MESSAGE) String level) {
    }

    public record Rename(
            @NotBlank @Size(max = 255) @Pattern(regexp = Validation.NO_CONTROL, message = Validation.NO_CONTROL_MESSAGE) String newName,
            @Pattern(regexp = AgencyCode.REGEX, message = AgencyCode.RULE_MESSAGE) String newCode,
            Instant effectiveAt,
            @Size(max = 2000) String comment) {
    }

    public record Merge(
            @NotBlank @Pattern(regexp = AgencyCode.REGEX, message = AgencyCode.RULE_MESSAGE) String intoCode,
            Instant effectiveAt,
            @Size(max = 2000) String comment) {
    }

    /**
     * {@code systems} assigns each system of the agency still in use to one of the successors (system code → successor
     * code); it may be left out only when the agency has no such systems.
     */
    public record Split(
            // elements are checked in the service, so the error names successorCodes[i]
            @NotEmpty @Size(max = 50) List<String> successorCodes,
            @Size(max = 500) java.util.Map<String, String> systems,
            Instant effectiveAt,
            @Size(max = 2000) String comment) {
    }

    public record Dissolve(
            Instant effectiveAt,
            @NotBlank @Size(max = 2000) String comment) {
    }
}
