package vn.lgsp.catalog.webhook.domain;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.UUID;

/**
 * One webhook delivery of one notification: {@code pending} while attempts remain, then {@code delivered} (a 2xx
 * answer) or {@code failed}. {@code lastStatus} is the receiver's HTTP status, {@code lastError} why no status came.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookDelivery(
        long id,
        long notificationId,
        UUID subscriptionId,
        String consumerSystem,
        String consumerAgency,
        String url,
        String event,
        String status,
        int attempts,
        int maxAttempts,
        Instant nextAttemptAt,
        Instant lastAttemptAt,
        Integer lastStatus,
        String lastError,
        Instant deliveredAt,
        Long redeliveryOf,
        String requestedBy,
        Instant createdAt,
        @JsonIgnore JsonNode payload,
        @JsonIgnore int secretGeneration) {

    public static final String PENDING = "pending";
    public static final String DELIVERED = "delivered";
    public static final String FAILED = "failed";
}
