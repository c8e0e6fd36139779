package vn.lgsp.catalog.version.domain;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.Locale;

/**
 * How routing authenticates to the upstream. Only names of secrets ({@code secretRef}, {@code clientSecretRef})
 * are stored: the values live in the deployment's secret store, never in the catalog.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UpstreamAuth(
        Type type,
        @Pattern(regexp = "^[A-Za-z0-9-]{1,64}$", message = "must be an HTTP header name") String headerName,
        @Pattern(regexp = SECRET_REF, message = SECRET_REF_MESSAGE) String secretRef,
        @Size(max = 2048) String tokenUrl,
        @Size(max = 255) String clientId,
        @Pattern(regexp = SECRET_REF, message = SECRET_REF_MESSAGE) String clientSecretRef,
        @Size(max = 1024) String scope) {

    public static final String SECRET_REF = "^[A-Za-z0-9][A-Za-z0-9._/-]{0,127}$";
    public static final String SECRET_REF_MESSAGE = "must be the name of a secret (letters, digits, '.', '_', '/', '-'), never its value";

    public static final UpstreamAuth NONE = new UpstreamAuth(Type.NONE, null, null, null, null, null, null);

    public enum Type {
        NONE, STATIC_HEADER, OAUTH2_CLIENT_CREDENTIALS;

        @JsonValue
        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
