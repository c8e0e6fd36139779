package vn.lgsp.catalog.dataservice.domain;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import vn.lgsp.common.id.AgencyCode;
import vn.lgsp.common.id.Codes;

/** A data service as a provider describes it (create, full replace, or the result of a merge patch). */
public record DataServiceRequest(
        @NotBlank @Pattern(regexp = Codes.SERVICE_CODE, message = Codes.SERVICE_CODE_MESSAGE) String code,
        @NotBlank @Size(max = 255) String name,
        @Size(max = 10000) String description,
        @NotBlank @Pattern(regexp = AgencyCode.REGEX, message = AgencyCode.RULE_MESSAGE) String ownerAgencyCode,
        @NotBlank @Pattern(regexp = Codes.SYSTEM_CODE, message = Codes.SYSTEM_CODE_MESSAGE) String providerSystemCode,
        @Size(max = 128) String category,
        @NotNull DataClass dataClass,
        @NotNull Boolean personalData,
        @Size(max = 255) String sharingScope,
        @NotNull SharingMethod sharingMethod,
        @Size(max = 128) String updateFrequency,
        @Size(max = 20) List<@NotBlank @Size(max = 64) String> formats,
        @Size(max = 20) List<@NotBlank @Size(max = 255) String> standards,
        @Valid Contact contact,
        @Valid Documentation documentation) {
}
