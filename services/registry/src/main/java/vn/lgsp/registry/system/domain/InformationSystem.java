package vn.lgsp.registry.system.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An agency's information system as the API shows it (catalog and auth read it too). */
public record InformationSystem(
        @JsonIgnore long id,
        String code,
        String name,
        String agencyCode,
        String description,
        String purpose,
        BaseUrls baseUrls,
        List<String> allowedSourceIps,
        int securityLevel,
        boolean mandatoryConnection,
        String status,
        Instant createdAt,
        Instant updatedAt,
        @JsonIgnore int version) {

    public static final String REGISTERED = "registered";
    public static final String CONNECTED = "connected";
    public static final String SUSPENDED = "suspended";
    public static final String REVOKED = "revoked";
    public static final String RETIRED = "retired";
    public static final List<String> STATUSES = List.of(REGISTERED, CONNECTED, SUSPENDED, REVOKED, RETIRED);

    /** Base URL per environment; null where the system has none. */
    public record BaseUrls(
            @jakarta.validation.constraints.Size(max = 2048) String test,
            @jakarta.validation.constraints.Size(max = 2048) String production) {
    }

    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", code);
        m.put("name", name);
        m.put("agencyCode", agencyCode);
        m.put("baseUrls", baseUrls);
        m.put("allowedSourceIps", allowedSourceIps);
        m.put("securityLevel", securityLevel);
        m.put("mandatoryConnection", mandatoryConnection);
        m.put("status", status);
        return m;
    }
}
