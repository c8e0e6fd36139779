package vn.lgsp.registry.support;

import java.util.Map;
import vn.lgsp.common.problem.ProblemException;

/** Maps the public sort keys of a list to columns, so a client can never inject SQL through them. */
public final class Sorting {

    private Sorting() {
    }

    public static String orderBy(String sort, String direction, Map<String, String> columns, String defaultKey,
            String tiebreak) {
        String key = sort == null || sort.isBlank() ? defaultKey : sort;
        String column = columns.get(key);
        if (column == null) {
            throw ProblemException.field("sort", "enum", "must be one of " + columns.keySet().stream().sorted().toList());
        }
        String dir = direction == null || direction.isBlank() ? "asc" : direction.toLowerCase(java.util.Locale.ROOT);
        if (!dir.equals("asc") && !dir.equals("desc")) {
            throw ProblemException.field("direction", "enum", "must be asc or desc");
        }
        // the id keeps pages stable when sort values repeat
        return " ORDER BY " + column + " " + dir + ", " + tiebreak + " " + dir;
    }
}
