package vn.lgsp.common.httpsig;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Builds the signature base of RFC 9421 §2.5 for the components this platform supports. */
final class SignatureBase {

    private SignatureBase() {
    }

    /**
     * The signature base for the covered components and the serialized {@code @signature-params} value.
     *
     * @throws SignatureException when a covered component cannot be produced from the message
     */
    static String build(SignedMessage message, List<String> components, String signatureParams) {
        StringBuilder base = new StringBuilder();
        for (String component : components) {
            base.append('"').append(component).append("\": ").append(value(message, component)).append('\n');
        }
        base.append("\"@signature-params\": ").append(signatureParams);
        return base.toString();
    }

    static String value(SignedMessage m, String component) {
        switch (component) {
            case "@method":
                return m.method().toUpperCase(Locale.ROOT);
            case "@scheme":
                return m.scheme().toLowerCase(Locale.ROOT);
            case "@authority":
                return m.authority().toLowerCase(Locale.ROOT);
            case "@path":
                return m.path().isEmpty() ? "/" : m.path();
            case "@query":
                return "?" + (m.query() == null ? "" : m.query());
            case "@request-target":
                return (m.path().isEmpty() ? "/" : m.path()) + (m.query() == null ? "" : "?" + m.query());
            case "@target-uri":
                return m.scheme().toLowerCase(Locale.ROOT) + "://" + m.authority().toLowerCase(Locale.ROOT)
                        + (m.path().isEmpty() ? "/" : m.path()) + (m.query() == null ? "" : "?" + m.query());
            default:
                if (component.startsWith("@")) {
                    throw new SignatureException(SignatureException.Reason.UNSUPPORTED_COMPONENT,
                            "component " + component + " is not supported");
                }
                List<String> values = m.header(component);
                if (values.isEmpty()) {
                    throw new SignatureException(SignatureException.Reason.MISSING_COMPONENT,
                            "covered header '" + component + "' is absent from the request");
                }
                // §2.1: trim each field line, join multiple lines with ", ", strip obsolete line folding.
                return values.stream().map(v -> v.replaceAll("\\s*\\r?\\n\\s+", " ").strip())
                        .collect(Collectors.joining(", "));
        }
    }
}
