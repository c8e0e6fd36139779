package vn.lgsp.common.text;

/** Free text cut to the column or field that holds it, so a long value is stored shortened rather than refused. */
public final class Texts {

    private Texts() {
    }

    /** The first {@code max} characters of {@code value} (null stays null). */
    public static String clip(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }

    /** As {@link #clip}, its last character "…" when something was cut, so a reader sees the text goes on. */
    public static String clipMarked(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max - 1) + "…";
    }
}
