package vn.lgsp.routing.exchange.domain;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import vn.lgsp.common.id.Codes;

/**
 * Step 2 of X5, the exchange request: to whom (the provider of a service version the source is subscribed to), what
 * (title, importance, data type), how (protocol) and under which policy (how long it may wait, how large it may be).
 */
public record EnvelopeRequest(
        @NotBlank(message = "is required") @Pattern(regexp = Codes.SERVICE_CODE, message = Codes.SERVICE_CODE_MESSAGE) String serviceCode,
        @NotBlank(message = "is required") @Pattern(regexp = Codes.VERSION, message = Codes.VERSION_MESSAGE) String version,
        @NotBlank(message = "is required") @Size(max = 200, message = "must be at most 200 characters") String title,
        @Pattern(regexp = "low|normal|high|urgent", message = "must be low, normal, high or urgent") String importance,
        @NotBlank(message = "is required") @Pattern(regexp = "json|xml|csv|xlsx", message = "must be json, xml, csv or xlsx") String dataType,
        @Pattern(regexp = "rest", message = "must be rest (the content is uploaded and pulled over this API)") String protocol,
        @Valid Policy policy) {

    /**
     * @param expiresIn ISO-8601 duration (PT6H, P3D) after which an undelivered envelope expires and its content is deleted
     * @param maxBytes  the largest content the source will upload (at most lgsp.routing.exchange.max-content-bytes)
     */
    public record Policy(
            @Pattern(regexp = "P.*", message = "must be an ISO-8601 duration such as PT6H or P3D") String expiresIn,
            @Positive(message = "must be positive") Long maxBytes) {
    }
}
