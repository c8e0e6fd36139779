package vn.lgsp.catalog.version.domain;

import jakarta.validation.constraints.Size;

/** The provider's base URL per environment; testing needs {@code test}, publishing needs {@code production}. */
public record Upstreams(@Size(max = 2048) String test, @Size(max = 2048) String production) {
}
