package vn.lgsp.registry.connection.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** A request to connect a system to the platform, with its full transition history when read one by one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConnectionRequest(
        UUID id,
        @JsonIgnore long systemId,
        String systemCode,
        String agencyCode,
        String purpose,
        String dataScope,
        List<String> requestedServices,
        String expectedFrequency,
        UUID technicalContactId,
        String status,
        String suspendedFrom,
        boolean shortenedProcedure,
        Confirmations testConfirmations,
        String requestedBy,
        Instant createdAt,
        Instant updatedAt,
        @JsonIgnore int version,
        List<Transition> history) {

    /** Who confirmed the test results on each side (both are needed for test_passed). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Confirmations(Confirmation operator, Confirmation agency) {
    }

    public record Confirmation(String by, Instant at) {
    }

    /**
     * One step of the workflow: who moved it, in which role, from where to where, and why. A change of technical
     * contact (action {@code change_technical_contact}) keeps the state and names the contacts instead.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Transition(Instant at, String actor, String role, String action, String from, String to, String comment,
            UUID fromContactId, UUID toContactId) {
    }

    public ConnectionRequest withHistory(List<Transition> transitions) {
        return new ConnectionRequest(id, systemId, systemCode, agencyCode, purpose, dataScope, requestedServices, expectedFrequency,
                technicalContactId, status, suspendedFrom, shortenedProcedure, testConfirmations, requestedBy, createdAt, updatedAt,
                version, transitions);
    }

    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("systemCode", systemCode);
        m.put("status", status);
        m.put("suspendedFrom", suspendedFrom);
        m.put("requestedServices", requestedServices);
        m.put("testConfirmations", testConfirmations);
        return m;
    }
}
