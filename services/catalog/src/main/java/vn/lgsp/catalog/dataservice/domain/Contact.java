package vn.lgsp.catalog.dataservice.domain;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The provider's contact person for the service. */
public record Contact(
        @Size(max = 255) String name,
        @Size(max = 255) String position,
        @Pattern(regexp = "^\\+?[0-9 ().-]{6,20}$", message = "must be a phone number of 6-20 digits") String phone,
        @Email @Size(max = 255) String email) {
}
