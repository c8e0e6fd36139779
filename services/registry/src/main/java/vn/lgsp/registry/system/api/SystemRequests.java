package vn.lgsp.registry.system.api;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import vn.lgsp.common.id.AgencyCode;
import vn.lgsp.common.id.Codes;
import vn.lgsp.registry.support.Validation;
import vn.lgsp.registry.system.domain.InformationSystem.BaseUrls;

/** Request bodies of the information-system API. */
public final class SystemRequests {

    private SystemRequests() {
    }

    public record CreateSystem(
            @NotBlank @Pattern(regexp = Codes.SYSTEM_CODE, message = Codes.SYSTEM_CODE_MESSAGE) String code,
            @NotBlank @Size(max = 255) @Pattern(regexp = Validation.NO_CONTROL, message = Validation.NO_CONTROL_MESSAGE) String name,
            @NotBlank @Pattern(regexp = AgencyCode.REGEX, message = AgencyCode.RULE_MESSAGE) String agencyCode,
            @Size(max = 2000) String description,
            @NotBlank @Size(max = 2000) String purpose,
            @Valid BaseUrls baseUrls,
            @Size(max = 100) List<String> allowedSourceIps,
            @NotNull @Min(1) @Max(5) Integer securityLevel,
            Boolean mandatoryConnection) {
    }

    public record UpdateSystem(
            @NotBlank @Size(max = 255) @Pattern(regexp = Validation.NO_CONTROL, message = Validation.NO_CONTROL_MESSAGE) String name,
            @NotBlank @Pattern(regexp = AgencyCode.REGEX, message = AgencyCode.RULE_MESSAGE) String agencyCode,
            @Size(max = 2000) String description,
            @NotBlank @Size(max = 2000) String purpose,
            @Valid BaseUrls baseUrls,
            @Size(max = 100) List<String> allowedSourceIps,
            @NotNull @Min(1) @Max(5) Integer securityLevel,
            Boolean mandatoryConnection) {
    }

    public record CreateContact(
            @NotBlank @Size(max = 255) @Pattern(regexp = Validation.NO_CONTROL, message = Validation.NO_CONTROL_MESSAGE) String name,
            @NotBlank @Size(max = 255) @Pattern(regexp = Validation.NO_CONTROL, message = Validation.NO_CONTROL_MESSAGE) String position,
            @NotBlank @Pattern(regexp = Validation.PHONE, message = Validation.PHONE_MESSAGE) String phone,
            @NotBlank @Email @Size(max = 254) String email) {
    }

    /** Retiring a system is final; the comment says why (it goes to the history and the audit log). */
    public record Retire(@NotBlank @Size(max = 2000) String comment) {
    }
}
