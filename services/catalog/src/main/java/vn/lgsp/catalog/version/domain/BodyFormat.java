package vn.lgsp.catalog.version.domain;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

public enum BodyFormat {
    JSON, XML;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
