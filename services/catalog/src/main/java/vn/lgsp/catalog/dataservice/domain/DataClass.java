package vn.lgsp.catalog.dataservice.domain;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Kinds of data by how widely they may be shared (master, domain-specific, shared, open, steering). */
public enum DataClass {
    MASTER, DOMAIN, SHARED, OPEN, STEERING;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static DataClass of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
