package vn.lgsp.routing.exchange.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * One asynchronous exchange (REQUIREMENTS X5): what the source announced, where it stands, and never the content.
 * The source is a system subscribed to {@code serviceCode}/{@code version}; the recipient is that version's provider.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Envelope(
        UUID id,
        String state,
        String environment,
        String serviceCode,
        String version,
        String subscriptionId,
        String sourceSystem,
        String sourceAgency,
        String recipientSystem,
        String recipientAgency,
        String title,
        String importance,
        String dataType,
        String protocol,
        long maxBytes,
        Long contentBytes,
        String contentSha256,
        List<String> formats,
        @JsonIgnore List<String> servedSha256,
        int downloads,
        String reason,
        Instant expiresAt,
        Instant createdAt,
        Instant uploadedAt,
        Instant acceptedAt,
        Instant finishedAt,
        Instant updatedAt,
        @JsonIgnore int rowVersion) {

    public static final String AWAITING_UPLOAD = "awaiting-upload";
    public static final String READY = "ready";
    public static final String ACCEPTED = "accepted";
    public static final String DELIVERED = "delivered";
    public static final String REJECTED = "rejected";
    public static final String CANCELLED = "cancelled";
    public static final String EXPIRED = "expired";
    /** States in which the envelope can still move; the others are history (content gone). */
    public static final Set<String> OPEN = Set.of(AWAITING_UPLOAD, READY, ACCEPTED);
    public static final List<String> STATES = List.of(AWAITING_UPLOAD, READY, ACCEPTED, DELIVERED, REJECTED, CANCELLED,
            EXPIRED);

    public boolean open() {
        return OPEN.contains(state);
    }

    /** Whether the recipient has been told about it (the source uploaded), so it must hear how it ends. */
    public boolean announced() {
        return uploadedAt != null;
    }

    /** Where the source uploads the content, while it may. */
    public String getUploadUri() {
        return AWAITING_UPLOAD.equals(state) ? "/api/v1/exchanges/" + id + "/content" : null;
    }

    /** Where the recipient pulls the content, once it said it is ready to. */
    public String getContentUri() {
        return ACCEPTED.equals(state) ? "/api/v1/exchanges/" + id + "/content" : null;
    }
}
