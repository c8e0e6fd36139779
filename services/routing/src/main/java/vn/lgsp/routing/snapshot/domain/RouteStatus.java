package vn.lgsp.routing.snapshot.domain;

import java.util.Locale;

/** A service version's lifecycle as catalog publishes it. */
public enum RouteStatus {
    DRAFT, TESTING, PUBLISHED, DEPRECATED, RETIRED;

    public static RouteStatus parse(String value) {
        return value == null ? DRAFT : valueOf(value.toUpperCase(Locale.ROOT));
    }
}
