package vn.lgsp.routing.exchange.domain;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Why the recipient rejects, or the source cancels, an envelope: told to the other party and kept with its status. */
public record EnvelopeDecision(
        @NotBlank(message = "is required") @Size(max = 500, message = "must be at most 500 characters") String reason) {
}
