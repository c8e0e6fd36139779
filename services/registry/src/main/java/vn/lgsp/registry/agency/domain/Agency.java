package vn.lgsp.registry.agency.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * An agency as the API shows it. {@code resolvedFrom} is set when it was looked up by an old, re-issued
 * code; {@code previousCodes} lists every code it had before.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Agency(
        @JsonIgnore long id,
        String code,
        String name,
        String shortName,
        String parentCode,
        String level,
        String status,
        List<String> successorCodes,
        List<String> previousCodes,
        Instant createdAt,
        Instant updatedAt,
        @JsonIgnore int version,
        String resolvedFrom) {

    public static final String ACTIVE = "active";
    public static final String MERGED = "merged";
    public static final String SPLIT = "split";
    public static final String DISSOLVED = "dissolved";

    public Agency resolvedFrom(String oldCode) {
        return new Agency(id, code, name, shortName, parentCode, level, status, successorCodes, previousCodes, createdAt,
                updatedAt, version, oldCode);
    }

    public boolean isActive() {
        return ACTIVE.equals(status);
    }

    /** What the audit log keeps of an agency before and after a change. */
    public java.util.Map<String, Object> summary() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("code", code);
        m.put("name", name);
        m.put("shortName", shortName);
        m.put("parentCode", parentCode);
        m.put("level", level);
        m.put("status", status);
        m.put("successorCodes", successorCodes);
        return m;
    }
}
