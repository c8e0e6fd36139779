package vn.lgsp.common.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;

/**
 * Appends JSON tokens as UTF-8 bytes to a reused buffer, byte for byte as Jackson writes them (its string escapes,
 * {@link Instant#toString()} for instants), without a StringBuilder, String or encoding pass per value. For the
 * per-record work of audit delivery: the gateway's spool writer ({@link AuditEventJson}) and audit's chain hash.
 * Strings holding a surrogate are refused ({@link #string} answers false) and left to the caller's general path,
 * which knows how its own encoder treats them. One instance per thread.
 */
public final class Utf8JsonWriter {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private byte[] buf;
    private int len;

    public Utf8JsonWriter(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    /** Starts over (the buffer is kept). */
    public void reset() {
        len = 0;
    }

    /** Bytes written since the last {@link #reset}. */
    public int length() {
        return len;
    }

    /** The bytes written, valid up to {@link #length()} until the next write. */
    public byte[] buffer() {
        return buf;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }

    /** One byte as it is (punctuation). */
    public void raw(char b) {
        ensure(1);
        buf[len++] = (byte) b;
    }

    /** Characters known to be ASCII (names, digits, punctuation), unquoted and unescaped. */
    public void ascii(String s) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            buf[len++] = (byte) s.charAt(i);
        }
    }

    /** A whole number in decimal, as {@link Long#toString(long)}. */
    public void number(long v) {
        if (v < 0) {
            ascii(Long.toString(v));
            return;
        }
        int width = 1;
        for (long t = v / 10; t > 0; t /= 10) {
            width++;
        }
        ensure(width);
        for (int i = len + width - 1; i >= len; i--) {
            buf[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        len += width;
    }

    /** A quoted instant as {@link Instant#toString()} (ISO-8601, UTC, fraction in groups of three digits). */
    public void instant(Instant value) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(value.getEpochSecond(), 0, ZoneOffset.UTC);
        if (t.getYear() < 0 || t.getYear() > 9999) {
            string(value.toString());  // signed or five-digit years: the JDK's own rules
            return;
        }
        ensure(32);
        buf[len++] = '"';
        digits(t.getYear(), 4);
        buf[len++] = '-';
        digits(t.getMonthValue(), 2);
        buf[len++] = '-';
        digits(t.getDayOfMonth(), 2);
        buf[len++] = 'T';
        digits(t.getHour(), 2);
        buf[len++] = ':';
        digits(t.getMinute(), 2);
        buf[len++] = ':';
        digits(t.getSecond(), 2);
        int nano = value.getNano();
        if (nano != 0) {
            buf[len++] = '.';
            if (nano % 1_000_000 == 0) {
                digits(nano / 1_000_000, 3);
            } else if (nano % 1000 == 0) {
                digits(nano / 1000, 6);
            } else {
                digits(nano, 9);
            }
        }
        buf[len++] = 'Z';
        buf[len++] = '"';
    }

    /** {@code value} in exactly {@code width} decimal digits, zero-padded (room already ensured). */
    private void digits(int value, int width) {
        for (int i = len + width - 1; i >= len; i--) {
            buf[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        len += width;
    }

    private static boolean plainAscii(String value) {
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
                return false;
            }
        }
        return true;
    }

    /**
     * A quoted string with Jackson's escapes ({@code \"}, {@code \\}, the short control escapes, a numeric escape with
     * upper-case hex digits for other control characters; everything else as UTF-8). False when the value holds a
     * surrogate: what was written is then incomplete and the caller takes its general path.
     */
    @SuppressWarnings("deprecation") // String.getBytes(int, int, byte[], int): exactly the low bytes of ASCII text
    public boolean string(String value) {
        int n = value.length();
        ensure(n * 6 + 2);  // the most one char takes (a six-byte control escape): no bounds check per char below
        buf[len++] = '"';
        if (plainAscii(value)) {
            // the usual case (ids, codes, paths, digests): one bulk copy of the string's bytes
            value.getBytes(0, n, buf, len);
            len += n;
            buf[len++] = '"';
            return true;
        }
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                buf[len++] = (byte) c;
            } else if (c == '"' || c == '\\') {
                buf[len++] = '\\';
                buf[len++] = (byte) c;
            } else if (c < 0x20) {
                buf[len++] = '\\';
                switch (c) {
                    case '\b' -> buf[len++] = 'b';
                    case '\t' -> buf[len++] = 't';
                    case '\n' -> buf[len++] = 'n';
                    case '\f' -> buf[len++] = 'f';
                    case '\r' -> buf[len++] = 'r';
                    default -> {
                        buf[len++] = 'u';
                        buf[len++] = '0';
                        buf[len++] = '0';
                        buf[len++] = HEX[c >> 4];
                        buf[len++] = HEX[c & 0xF];
                    }
                }
            } else if (Character.isSurrogate(c)) {
                return false;
            } else if (c < 0x800) {
                buf[len++] = (byte) (0xC0 | (c >> 6));
                buf[len++] = (byte) (0x80 | (c & 0x3F));
            } else {
                buf[len++] = (byte) (0xE0 | (c >> 12));
                buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buf[len++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        buf[len++] = '"';
        return true;
    }
}
