package vn.lgsp.registry.support;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Vietnamese free text folded for search: "Sở Tài chính" and "so tai chinh" fold to the same string.
 * NFD splits letters from their tone and vowel marks, which are then dropped; đ is a distinct letter
 * (not a decomposable one), so it is mapped explicitly.
 */
public final class TextSearch {

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private TextSearch() {
    }

    public static String fold(String... parts) {
        StringBuilder sb = new StringBuilder();
        for (String p : parts) {
            if (p != null && !p.isBlank()) {
                sb.append(' ').append(p);
            }
        }
        String s = sb.toString().replace('đ', 'd').replace('Đ', 'D');
        s = MARKS.matcher(Normalizer.normalize(s, Normalizer.Form.NFD)).replaceAll("");
        return SPACES.matcher(s.toLowerCase(Locale.ROOT)).replaceAll(" ").trim();
    }

    /** An ILIKE pattern for the folded query, with LIKE wildcards in the input escaped. */
    public static String likePattern(String query) {
        String folded = fold(query).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
        return "%" + folded + "%";
    }
}
