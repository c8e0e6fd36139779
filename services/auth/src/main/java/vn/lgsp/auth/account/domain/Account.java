package vn.lgsp.auth.account.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** A person who administers the platform: operator, agency admin (one agency) or auditor. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Account(String username, @JsonIgnore String passwordHash, String role, String agencyCode, String status,
        Instant createdAt, Instant updatedAt, Instant lastLoginAt, @JsonIgnore Instant tokensValidAfter) {

    public static final String ACTIVE = "active";
    public static final String DISABLED = "disabled";
}
