package vn.lgsp.catalog.subscription.domain;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.LocalDate;
import vn.lgsp.catalog.support.CalendarDay;
import vn.lgsp.common.access.AccessLevel;
import vn.lgsp.common.id.Codes;

/** A consumer system's application to use a service version. */
public record SubscriptionRequest(
        @NotBlank @Pattern(regexp = Codes.SERVICE_CODE, message = Codes.SERVICE_CODE_MESSAGE) String serviceCode,
        @NotBlank @Pattern(regexp = Codes.VERSION, message = Codes.VERSION_MESSAGE) String version,
        @NotBlank @Pattern(regexp = Codes.SYSTEM_CODE, message = Codes.SYSTEM_CODE_MESSAGE) String consumerSystemCode,
        @NotBlank @Pattern(regexp = "^(test|production)$", message = "must be test or production") String environment,
        @NotBlank @Size(max = 2000) String purpose,
        @NotBlank @Size(max = 255) String expectedFrequency,
        @NotNull @CalendarDay LocalDate periodStart,
        @NotNull @CalendarDay LocalDate periodEnd,
        @Size(max = 2048) String webhookUrl,
        /** REQUIREMENTS A3; omitted: {@link AccessLevel#DEFAULT} */
        @Pattern(regexp = AccessLevel.PATTERN, message = AccessLevel.MESSAGE) String accessLevel) {
}
