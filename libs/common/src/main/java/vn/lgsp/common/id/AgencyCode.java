package vn.lgsp.common.id;

import java.util.regex.Pattern;

/**
 * An agency's electronic identifier code in the national format {@code XXX.XX.XX.YNN}
 * (for example {@code 000.00.00.H62}): three groups of digits, then a letter and two digits.
 */
public record AgencyCode(String value) {

    public static final String REGEX = "^[0-9]{3}\\.[0-9]{2}\\.[0-9]{2}\\.[A-Z][0-9]{2}$";
    public static final String RULE_MESSAGE = "must follow the national format XXX.XX.XX.YNN, e.g. 000.00.00.H62";
    private static final Pattern PATTERN = Pattern.compile(REGEX);

    public AgencyCode {
        if (!isValid(value)) {
            throw new IllegalArgumentException("Agency code " + RULE_MESSAGE);
        }
    }

    public static boolean isValid(String value) {
        return value != null && PATTERN.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
