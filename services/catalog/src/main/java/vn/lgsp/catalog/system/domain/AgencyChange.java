package vn.lgsp.catalog.system.domain;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import vn.lgsp.common.id.AgencyCode;

/** registry's word that an information system now belongs to {@code agencyCode}. */
public record AgencyChange(
        @NotBlank @Pattern(regexp = AgencyCode.REGEX, message = AgencyCode.RULE_MESSAGE) String agencyCode) {
}
