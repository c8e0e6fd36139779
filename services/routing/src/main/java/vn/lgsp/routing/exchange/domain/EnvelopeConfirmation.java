package vn.lgsp.routing.exchange.domain;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;

/**
 * Step 7 of X5: the recipient confirms what it received by its SHA-256 (hex), which must be the digest of a
 * representation it was served (the uploaded one or a conversion), so a truncated or altered download cannot be confirmed.
 */
public record EnvelopeConfirmation(
        @NotBlank(message = "is required") @Pattern(regexp = "[0-9a-f]{64}", message = "must be 64 lower-case hex digits (SHA-256)") String sha256) {
}
