package vn.lgsp.catalog.subscription.domain;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** pending → active | rejected; active ⇄ suspended; active | suspended → ended. */
public enum SubscriptionStatus {
    PENDING, ACTIVE, REJECTED, SUSPENDED, ENDED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SubscriptionStatus of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
