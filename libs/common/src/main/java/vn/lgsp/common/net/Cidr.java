package vn.lgsp.common.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 network block, {@code 10.20.0.0/16} or {@code fd12:3456::/48}; a bare address is a block of one.
 */
public record Cidr(byte[] network, int prefixBits) {

    private static final Pattern IPV4 = Pattern.compile(
            "^(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}$");
    private static final Pattern IPV6 = Pattern.compile("^[0-9A-Fa-f:.]+$");

    public Cidr {
        if ((network.length != 4 && network.length != 16) || prefixBits < 0 || prefixBits > network.length * 8) {
            throw new IllegalArgumentException("a CIDR block needs 4 or 16 address bytes and a prefix that fits them");
        }
        network = network.clone();
    }

    /**
     * For configuration: a bad entry stops the service at start-up with the property, the value and
     * {@link #of(String)}'s reason (an implicit converter would lose the reason).
     */
    public static final class Converter implements org.eclipse.microprofile.config.spi.Converter<Cidr> {
        @Override
        public Cidr convert(String value) {
            return of(value);
        }
    }

    /** @throws IllegalArgumentException saying what is wrong with {@code value} and what a good one looks like */
    public static Cidr of(String value) {
        String entry = value == null ? "" : value.trim();
        String[] parts = entry.split("/", -1);
        if (entry.isEmpty() || parts.length > 2) {
            throw invalid(value, "expected address/prefix");
        }
        byte[] network = literal(parts[0]);
        if (network != null && network.length == 4 && parts[0].indexOf(':') >= 0) {
            // The JDK reads ::ffff:a.b.c.d as the IPv4 address, and so do destination checks: a prefix counted in
            // 128 bits would then be wrong.
            throw invalid(value, "write an IPv4-mapped network as IPv4, e.g. 10.20.0.0/16");
        }
        if (network == null) {
            throw invalid(value, "'" + parts[0] + "' is not an IPv4 or IPv6 address (host names are not accepted)");
        }
        int max = network.length * 8;
        int bits = max;
        if (parts.length == 2) {
            if (!parts[1].matches("[0-9]{1,3}") || Integer.parseInt(parts[1]) > max) {
                throw invalid(value, "the prefix length must be 0 to " + max);
            }
            bits = Integer.parseInt(parts[1]);
        }
        Cidr block = new Cidr(network, bits);
        byte[] masked = block.mask(network);
        // A typo such as 192.168.10.0/16 would silently open far more than meant: ask for the network address.
        if (!Arrays.equals(masked, network)) {
            throw invalid(value, "host bits are set; did you mean " + address(masked) + "/" + bits + "?");
        }
        return block;
    }

    private static IllegalArgumentException invalid(String value, String why) {
        return new IllegalArgumentException("'" + value + "' is not a CIDR block: " + why
                + " (examples: 10.20.0.0/16, 127.0.0.1, fd12:3456::/48)");
    }

    /** The bytes of an IP literal, or null; never a DNS lookup (only strings that can only be literals are parsed). */
    private static byte[] literal(String text) {
        boolean v4 = IPV4.matcher(text).matches();
        if (!v4 && !(text.indexOf(':') >= 0 && IPV6.matcher(text).matches())) {
            return null;
        }
        try {
            return InetAddress.getByName(text).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static String address(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    /** True if {@code address} (4 or 16 bytes) is inside this block; an IPv4 address is never inside an IPv6 block. */
    public boolean contains(byte[] address) {
        return address.length == network.length && Arrays.equals(mask(address), network);
    }

    private byte[] mask(byte[] address) {
        byte[] out = address.clone();
        for (int i = 0; i < out.length; i++) {
            int keep = Math.max(0, Math.min(8, prefixBits - i * 8));
            out[i] = (byte) (out[i] & (0xFF << (8 - keep)));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefixBits == prefixBits && Arrays.equals(c.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefixBits;
    }

    @Override
    public String toString() {
        return address(network) + "/" + prefixBits;
    }
}
