package vn.lgsp.registry.agency.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** One entry of an agency's history: created, updated, renamed, merged, absorbed, split, dissolved. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AgencyEvent(
        long id,
        String type,
        Instant at,
        Instant recordedAt,
        String actor,
        String comment,
        String beforeName,
        String afterName,
        String beforeCode,
        String afterCode,
        List<String> successors) {

    public static final String CREATED = "created";
    public static final String UPDATED = "updated";
    public static final String RENAMED = "renamed";
    public static final String MERGED = "merged";
    /** Recorded on the agency another one was merged into. */
    public static final String ABSORBED = "absorbed";
    public static final String SPLIT = "split";
    public static final String DISSOLVED = "dissolved";
}
