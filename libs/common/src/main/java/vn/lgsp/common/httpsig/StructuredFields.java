package vn.lgsp.common.httpsig;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The subset of RFC 8941 structured fields that {@code Signature-Input} and {@code Signature} use:
 * a dictionary whose members are inner lists of strings with parameters, or byte sequences.
 */
final class StructuredFields {

    /** One dictionary member: an inner list (with parameters) or a byte sequence. */
    record Member(List<String> items, byte[] bytes, Map<String, Object> params) {
    }

    private final String s;
    private int i;

    private StructuredFields(String s) {
        this.s = s;
    }

    static Map<String, Member> parseDictionary(String input) {
        StructuredFields p = new StructuredFields(input);
        Map<String, Member> out = new LinkedHashMap<>();
        p.ows();
        while (p.i < p.s.length()) {
            String key = p.key();
            if (!p.eat('=')) {
                throw malformed("expected '=' after " + key);
            }
            Member member;
            if (p.peek() == '(') {
                List<String> items = p.innerList();
                member = new Member(items, null, p.params());
            } else if (p.peek() == ':') {
                member = new Member(null, p.bytes(), p.params());
            } else {
                throw malformed("unsupported member for " + key);
            }
            out.put(key, member);
            p.ows();
            if (p.i >= p.s.length()) {
                break;
            }
            if (!p.eat(',')) {
                throw malformed("expected ',' between members");
            }
            p.ows();
        }
        return out;
    }

    /** Serializes an inner list of strings with parameters, as {@code @signature-params} needs. */
    static String serializeInnerList(List<String> items, Map<String, Object> params) {
        StringBuilder b = new StringBuilder("(");
        for (int k = 0; k < items.size(); k++) {
            if (k > 0) {
                b.append(' ');
            }
            b.append(quote(items.get(k)));
        }
        b.append(')');
        params.forEach((name, value) -> {
            b.append(';').append(name);
            if (value instanceof Boolean bool) {
                if (!bool) {
                    b.append("=?0");
                }
            } else if (value instanceof Long || value instanceof Integer) {
                b.append('=').append(value);
            } else {
                b.append('=').append(quote(value.toString()));
            }
        });
        return b.toString();
    }

    static String quote(String v) {
        return '"' + v.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private List<String> innerList() {
        expect('(');
        List<String> items = new ArrayList<>();
        while (true) {
            sp();
            if (eat(')')) {
                return items;
            }
            items.add(string());
            // RFC 9421 component parameters (e.g. ;sf, ;key) are not supported here: refuse rather than mis-verify.
            if (peek() == ';') {
                throw new SignatureException(SignatureException.Reason.UNSUPPORTED_COMPONENT,
                        "component parameters are not supported");
            }
            if (peek() != ' ' && peek() != ')') {
                throw malformed("expected ' ' or ')' in inner list");
            }
        }
    }

    private Map<String, Object> params() {
        Map<String, Object> params = new LinkedHashMap<>();
        while (eat(';')) {
            sp();
            String name = key();
            Object value = Boolean.TRUE;
            if (eat('=')) {
                char c = peek();
                if (c == '"') {
                    value = string();
                } else if (c == '-' || Character.isDigit(c)) {
                    value = integer();
                } else if (c == '?') {
                    i++;
                    value = eat('1') ? Boolean.TRUE : eatReturn('0', Boolean.FALSE);
                } else {
                    value = token();
                }
            }
            params.put(name, value);
        }
        return params;
    }

    private Object eatReturn(char c, Object v) {
        if (!eat(c)) {
            throw malformed("bad boolean");
        }
        return v;
    }

    private String key() {
        int start = i;
        while (i < s.length()) {
            char c = s.charAt(i);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' || c == '*') {
                i++;
            } else {
                break;
            }
        }
        if (start == i) {
            throw malformed("expected a key at position " + i);
        }
        return s.substring(start, i);
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == '\\') {
                if (i >= s.length()) {
                    break;
                }
                char n = s.charAt(i++);
                if (n != '"' && n != '\\') {
                    throw malformed("bad escape in string");
                }
                b.append(n);
            } else if (c == '"') {
                return b.toString();
            } else if (c < 0x20 || c > 0x7e) {
                throw malformed("non-ASCII character in string");
            } else {
                b.append(c);
            }
        }
        throw malformed("unterminated string");
    }

    private long integer() {
        int start = i;
        if (peek() == '-') {
            i++;
        }
        while (i < s.length() && Character.isDigit(s.charAt(i))) {
            i++;
        }
        if (i - start > 16) {
            throw malformed("integer too long");
        }
        try {
            return Long.parseLong(s.substring(start, i));
        } catch (NumberFormatException e) {
            throw malformed("bad integer");
        }
    }

    private String token() {
        int start = i;
        while (i < s.length() && " ;,()".indexOf(s.charAt(i)) < 0) {
            i++;
        }
        return s.substring(start, i);
    }

    private byte[] bytes() {
        expect(':');
        int end = s.indexOf(':', i);
        if (end < 0) {
            throw malformed("unterminated byte sequence");
        }
        String b64 = s.substring(i, end);
        i = end + 1;
        try {
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw malformed("bad base64 in byte sequence");
        }
    }

    private char peek() {
        return i < s.length() ? s.charAt(i) : '\0';
    }

    private boolean eat(char c) {
        if (peek() == c) {
            i++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!eat(c)) {
            throw malformed("expected '" + c + "' at position " + i);
        }
    }

    private void sp() {
        while (peek() == ' ') {
            i++;
        }
    }

    private void ows() {
        while (peek() == ' ' || peek() == '\t') {
            i++;
        }
    }

    private static SignatureException malformed(String why) {
        return new SignatureException(SignatureException.Reason.MALFORMED, "malformed signature header: " + why);
    }
}
