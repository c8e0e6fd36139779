package vn.lgsp.registry.system.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One step in a system's life beyond its own edits: {@code retired}, or {@code moved} to another agency; {@code cause}
 * says why ({@code request} when asked for directly, {@code agency.merge} / {@code agency.split} when its agency changed).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SystemEvent(String type, String cause, Instant at, String actor, String comment, String fromStatus,
        String toStatus, String fromAgency, String toAgency) {

    public static final String RETIRED = "retired";
    public static final String MOVED = "moved";
}
