package vn.lgsp.catalog.subscription.domain;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** pending until the provider side approves or rejects it, the consumer side withdraws it, or the subscription ends. */
public enum ChangeRequestStatus {
    PENDING, APPROVED, REJECTED, WITHDRAWN, LAPSED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ChangeRequestStatus of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
