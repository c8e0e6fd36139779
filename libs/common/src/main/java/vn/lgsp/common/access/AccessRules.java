package vn.lgsp.common.access;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import vn.lgsp.common.problem.Problem.FieldError;

/**
 * The access levels a service version's operations require (REQUIREMENTS A3): its rules in order, the first whose
 * methods and path pattern match deciding; an operation no rule names requires {@link AccessLevel#defaultFor} its
 * method. catalog validates the rules when a version is saved ({@link #validate}); routing compiles them once per
 * snapshot and asks {@link #required} on each call.
 *
 * <p>Paths are compared the way a provider's server may read them, so that spelling a path differently cannot slip
 * past a rule: segments case-insensitively (IIS and ASP.NET route that way), {@code %2F} and {@code %5C} (and
 * {@code \}) as separators, {@code .} and {@code ..} resolved, empty segments ignored, and {@code ;params} (servlet
 * path parameters) cut off.
 */
public final class AccessRules {

    public static final int MAX_RULES = 64;
    public static final int MAX_PATH = 512;
    public static final AccessRules NONE = new AccessRules(List.of());
    /** Headers some servers take as the method: an operation is judged by the highest level of its method and these. */
    public static final List<String> METHOD_OVERRIDE_HEADERS = List.of("X-HTTP-Method-Override", "X-HTTP-Method",
            "X-Method-Override");

    private static final Pattern METHOD = Pattern.compile("^[A-Z][A-Z-]{0,19}$");
    private static final Pattern LITERAL = Pattern.compile("^[A-Za-z0-9._~!$&'()+,=:@-]+$");
    private static final Pattern TEMPLATE = Pattern.compile("^\\{[A-Za-z_][A-Za-z0-9_.-]{0,63}}$");
    private static final String ONE = "*";

    private record Compiled(Set<String> methods, String[] segments, boolean anyRest, AccessLevel level) {
    }

    private final List<Compiled> rules;

    private AccessRules(List<Compiled> rules) {
        this.rules = rules;
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /**
     * Compiles validated rules. A rule that does not validate (a feed from a newer catalog, say) is not dropped, since
     * that could lower what an operation requires: the whole set then requires {@link AccessLevel#SHARE} of every call.
     */
    public static AccessRules compile(List<AccessRule> rules) {
        if (rules == null || rules.isEmpty()) {
            return NONE;
        }
        if (!validate(rules, "accessRules").isEmpty()) {
            return new AccessRules(List.of(new Compiled(null, new String[0], true, AccessLevel.SHARE)));
        }
        List<Compiled> out = new ArrayList<>(rules.size());
        for (AccessRule r : rules) {
            List<String> parts = new ArrayList<>(List.of(r.path().substring(1).split("/", -1)));
            if (parts.size() == 1 && parts.get(0).isEmpty()) {
                parts.clear(); // "/": the version's root only
            }
            boolean anyRest = !parts.isEmpty() && parts.get(parts.size() - 1).equals("**");
            if (anyRest) {
                parts.remove(parts.size() - 1);
            }
            String[] segments = new String[parts.size()];
            for (int i = 0; i < segments.length; i++) {
                String p = parts.get(i);
                // null: any one segment
                segments[i] = p.equals(ONE) || TEMPLATE.matcher(p).matches() ? null : p.toLowerCase(Locale.ROOT);
            }
            Set<String> methods = r.methods() == null || r.methods().isEmpty() ? null : Set.copyOf(r.methods());
            out.add(new Compiled(methods, segments, anyRest, AccessLevel.of(r.level())));
        }
        return new AccessRules(List.copyOf(out));
    }

    /** Every problem of a set of rules, named {@code field[i].path} and so on; empty when they are fine. */
    public static List<FieldError> validate(List<AccessRule> rules, String field) {
        List<FieldError> errors = new ArrayList<>();
        if (rules == null) {
            return errors;
        }
        if (rules.size() > MAX_RULES) {
            errors.add(new FieldError(field, "maxItems", "at most " + MAX_RULES + " rules"));
            return errors;
        }
        for (int i = 0; i < rules.size(); i++) {
            String at = field + "[" + i + "]";
            AccessRule r = rules.get(i);
            if (r == null) {
                errors.add(new FieldError(at, "required", "must be a rule {methods, path, level}"));
                continue;
            }
            if (r.level() == null) {
                errors.add(new FieldError(at + ".level", "required", AccessLevel.MESSAGE));
            } else if (AccessLevel.of(r.level()) == null) {
                errors.add(new FieldError(at + ".level", "oneOf", AccessLevel.MESSAGE));
            }
            if (r.methods() != null) {
                for (int j = 0; j < r.methods().size(); j++) {
                    String m = r.methods().get(j);
                    if (m == null || !METHOD.matcher(m).matches()) {
                        errors.add(new FieldError(at + ".methods[" + j + "]", "method",
                                "must be an HTTP method in capitals, such as GET or POST"));
                    }
                }
            }
            String pathProblem = pathProblem(r.path());
            if (pathProblem != null) {
                errors.add(new FieldError(at + ".path", r.path() == null ? "required" : "pattern", pathProblem));
            }
        }
        return errors;
    }

    private static String pathProblem(String path) {
        String shape = "must start with / and be made of literal segments, * or {name} for one segment, and a final ** "
                + "for any number of them (e.g. /records/{id}/history, /export/**)";
        if (path == null || path.isEmpty()) {
            return shape;
        }
        if (path.length() > MAX_PATH) {
            return "must be at most " + MAX_PATH + " characters";
        }
        if (path.charAt(0) != '/') {
            return shape;
        }
        if (path.equals("/")) {
            return null;
        }
        String[] parts = path.substring(1).split("/", -1);
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            if (p.equals("**")) {
                if (i != parts.length - 1) {
                    return "** may only be the last segment";
                }
            } else if (p.equals(".") || p.equals("..")) {
                return "must not contain . or .. segments";
            } else if (!p.equals(ONE) && !TEMPLATE.matcher(p).matches() && !LITERAL.matcher(p).matches()) {
                return shape + "; segment " + (i + 1) + " is not";
            }
        }
        return null;
    }

    /** The level an operation requires: the first matching rule's, else its method's default. */
    public AccessLevel required(String method, String path) {
        if (rules.isEmpty()) {
            return AccessLevel.defaultFor(method);
        }
        List<String> segments = segments(path);
        for (Compiled rule : rules) {
            if ((rule.methods == null || rule.methods.contains(method)) && matches(rule, segments)) {
                return rule.level;
            }
        }
        return AccessLevel.defaultFor(method);
    }

    private static boolean matches(Compiled rule, List<String> segments) {
        int n = rule.segments.length;
        if (segments.size() < n || (!rule.anyRest && segments.size() != n)) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            String want = rule.segments[i];
            if (want != null && !want.equalsIgnoreCase(segments.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** The path's segments as a provider's server may read them (see the class comment). */
    static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        if (path == null) {
            return out;
        }
        StringBuilder seg = new StringBuilder();
        boolean inParams = false;
        int len = path.length();
        for (int i = 0; i <= len; i++) {
            char c = i < len ? path.charAt(i) : '/';
            if (c == '%' && i + 2 < len) {
                char a = path.charAt(i + 1);
                char b = Character.toUpperCase(path.charAt(i + 2));
                if (a == '2' && b == 'F' || a == '5' && b == 'C') {
                    c = '/';
                    i += 2;
                } else if (a == '2' && b == 'E') {
                    c = '.';
                    i += 2;
                }
            }
            if (c == '/' || c == '\\') {
                String s = seg.toString();
                seg.setLength(0);
                inParams = false;
                if (s.isEmpty() || s.equals(".")) {
                    continue;
                }
                if (s.equals("..")) {
                    if (!out.isEmpty()) {
                        out.remove(out.size() - 1);
                    }
                    continue;
                }
                out.add(s);
            } else if (c == ';') {
                inParams = true;
            } else if (!inParams) {
                seg.append(c);
            }
        }
        return out;
    }
}
