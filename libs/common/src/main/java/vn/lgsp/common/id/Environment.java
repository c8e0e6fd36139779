package vn.lgsp.common.id;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The two connection environments every system and credential belongs to (REQUIREMENTS R5). */
public enum Environment {
    TEST, PRODUCTION;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Environment parse(String value) {
        if (value == null) {
            return null;
        }
        for (Environment e : values()) {
            if (e.wire().equals(value.toLowerCase(Locale.ROOT))) {
                return e;
            }
        }
        throw new IllegalArgumentException("environment must be 'test' or 'production'");
    }
}
