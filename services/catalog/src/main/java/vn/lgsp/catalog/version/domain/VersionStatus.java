package vn.lgsp.catalog.version.domain;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Lifecycle of one major version: draft → testing → published → deprecated → retired. */
public enum VersionStatus {
    DRAFT, TESTING, PUBLISHED, DEPRECATED, RETIRED;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static VersionStatus of(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
