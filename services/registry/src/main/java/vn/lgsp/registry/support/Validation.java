package vn.lgsp.registry.support;

/** Patterns shared by the request records of this service. */
public final class Validation {

    /** Free text may hold any Unicode letter, mark or punctuation, but no control characters. */
    public static final String NO_CONTROL = "^[^\\p{Cntrl}]*$";
    public static final String NO_CONTROL_MESSAGE = "must not contain control characters";

    public static final String AGENCY_LEVEL = "^(province|department|district|commune|other)$";
    public static final String AGENCY_LEVEL_MESSAGE = "must be one of province, department, district, commune, other";

    /** Vietnamese mobile (03/05/07/08/09 + 8 digits) or landline (02 + 9 digits), with 0 or +84. */
    public static final String PHONE = "^(?:\\+84|0)(?:[35789][0-9]{8}|2[0-9]{9})$";
    public static final String PHONE_MESSAGE = "must be a Vietnamese phone number such as 0912345678, +84912345678 or 02438223456 (digits only)";

    /** A requested service version, {@code serviceCode:version}. */
    public static final String SERVICE_REF = "^[a-z0-9][a-z0-9-]{1,63}:v[1-9][0-9]{0,2}$";
    public static final String SERVICE_REF_MESSAGE = "must be serviceCode:version, e.g. dan-cu:v1";

    /**
     * Checks each element of a list against a pattern and names offenders {@code field[i]}. Done by hand
     * because container-element constraints come out of the common mapper as {@code field[i].<list element>}.
     */
    public static void elements(String field, java.util.List<String> values, String regex, String message) {
        if (values == null) {
            return;
        }
        java.util.List<vn.lgsp.common.problem.Problem.FieldError> errors = new java.util.ArrayList<>();
        java.util.regex.Pattern p = java.util.regex.Pattern.compile(regex);
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            if (v == null || !p.matcher(v).matches()) {
                errors.add(new vn.lgsp.common.problem.Problem.FieldError(field + "[" + i + "]", "pattern", message));
            }
        }
        if (!errors.isEmpty()) {
            throw new vn.lgsp.common.problem.ProblemException(vn.lgsp.common.problem.ProblemType.VALIDATION,
                    errors.get(0).field() + ": " + message, errors, java.util.Map.of());
        }
    }

    private Validation() {
    }
}
