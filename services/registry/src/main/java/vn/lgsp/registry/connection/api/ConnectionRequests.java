package vn.lgsp.registry.connection.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;
import vn.lgsp.common.id.Codes;
import vn.lgsp.registry.connection.domain.ConnectionRequest;
import vn.lgsp.registry.support.Validation;

/** Request and response bodies of the connection-request API. */
public final class ConnectionRequests {

    private ConnectionRequests() {
    }

    public record Submit(
            @NotBlank @Pattern(regexp = Codes.SYSTEM_CODE, message = Codes.SYSTEM_CODE_MESSAGE) String systemCode,
            @NotBlank @Size(max = 2000) String purpose,
            @NotBlank @Size(max = 2000) String dataScope,
            // elements are checked in the service, so the error names requestedServices[i]
            @NotEmpty @Size(max = 50) List<String> requestedServices,
            @NotBlank @Size(max = 255) String expectedFrequency,
            @NotNull UUID technicalContactId) {
    }

    public record TransitionCommand(
            @NotBlank @Pattern(regexp = "^(review|request_changes|resubmit|approve_for_testing|start_testing|confirm_test|go_live|suspend|resume|revoke|withdraw)$",
                    message = "must be one of review, request_changes, resubmit, approve_for_testing, start_testing, confirm_test, "
                            + "go_live, suspend, resume, revoke, withdraw") String action,
            @Size(max = 2000) String comment) {
    }

    /** Names another contact person of the system as the request's technical contact. */
    public record ChangeContact(
            @NotNull UUID technicalContactId,
            @Size(max = 2000) String comment) {
    }

    /**
     * The answer to a transition. {@code credential} is present only when the step made auth issue one (entering
     * testing or production): it holds the secret, shown this once and never stored by the registry.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TransitionResult(ConnectionRequest request, JsonNode credential) {
    }
}
