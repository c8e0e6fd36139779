package vn.lgsp.catalog.dataservice.domain;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How the data is shared: an online API, synchronisation, or file transfer. */
public enum SharingMethod {
    API, SYNC, FILE;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static SharingMethod of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
