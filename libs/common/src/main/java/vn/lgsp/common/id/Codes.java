package vn.lgsp.common.id;

/**
 * Formats of the other identifiers that appear in URLs and tokens. Kept URL-safe so a code
 * can be a path segment in the gateway ({@code /{serviceCode}/{version}/...}) without escaping.
 */
public final class Codes {

    /** Information-system codes: upper- or lower-case letters, digits, dot, dash, underscore. */
    public static final String SYSTEM_CODE = "^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$";
    public static final String SYSTEM_CODE_MESSAGE = "must be 2-64 characters: letters, digits, '.', '_' or '-', starting with a letter or digit";

    /** Data-service codes: lower-case, URL-safe. */
    public static final String SERVICE_CODE = "^[a-z0-9][a-z0-9-]{1,63}$";
    public static final String SERVICE_CODE_MESSAGE = "must be 2-64 characters of a-z, 0-9 and '-', starting with a letter or digit";

    /** Major versions as they appear in the URL. */
    public static final String VERSION = "^v[1-9][0-9]{0,2}$";
    public static final String VERSION_MESSAGE = "must be a major version such as v1 or v2";

    private Codes() {
    }
}
