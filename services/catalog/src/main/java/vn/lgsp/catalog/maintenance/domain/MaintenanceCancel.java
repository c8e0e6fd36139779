package vn.lgsp.catalog.maintenance.domain;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Why a window is withdrawn (or, once started, ended early); the subscribers are told. */
public record MaintenanceCancel(
        @NotBlank(message = "is required: subscribers are told why") @Size(max = 2000, message = "must be at most 2000 characters") String reason) {
}
