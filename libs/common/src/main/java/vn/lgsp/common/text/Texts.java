package vn.lgsp.common.text;

import java.util.regex.Pattern;

/** Free text cut to the column or field that holds it, so a long value is stored shortened rather than refused. */
public final class Texts {

    /**
     * Characters that change how a log line or a table reads without being visible: controls (CR, LF, ESC…),
     * format characters (bidi overrides such as U+202E, zero-width ones) and the Unicode line and paragraph
     * separators.
     */
    private static final Pattern INVISIBLE = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]");

    private Texts() {
    }

    /**
     * The first {@code max} characters of {@code value} (null stays null), one fewer when the cut would split a
     * surrogate pair: a lone half is not valid UTF-8 and PostgreSQL would refuse the row.
     */
    public static String clip(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, cutAt(value, max));
    }

    /** As {@link #clip}, its last character "…" when something was cut, so a reader sees the text goes on. */
    public static String clipMarked(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, cutAt(value, max - 1)) + "…";
    }

    /**
     * A caller's own text (a claimed identity, a path) made safe to record and show: every invisible character
     * (see {@link #INVISIBLE}) becomes "?", so a forged value cannot start a log line or reverse what follows.
     */
    public static String printable(String value) {
        return value == null ? null : INVISIBLE.matcher(value).replaceAll("?");
    }

    private static int cutAt(String value, int at) {
        return at > 0 && Character.isHighSurrogate(value.charAt(at - 1)) ? at - 1 : at;
    }
}
