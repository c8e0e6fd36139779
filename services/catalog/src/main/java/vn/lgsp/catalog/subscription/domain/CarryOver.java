package vn.lgsp.catalog.subscription.domain;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import vn.lgsp.common.id.Codes;

/** Apply for the same use of a newer major version. */
public record CarryOver(@NotBlank @Pattern(regexp = Codes.VERSION, message = Codes.VERSION_MESSAGE) String toVersion) {
}
