package vn.lgsp.common.net;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Which addresses webhooks may be sent to. Subscribers (catalog) and operators (audit's alert rules) choose the URL, but
 * the services run inside the platform's network: unchecked, an agency admin could make catalog POST to auth, a pod,
 * the database or the cloud metadata endpoint (server-side request forgery). Refused: unspecified, loopback, link-local (169.254.169.254), private (RFC 1918,
 * CGNAT 100.64/10, IPv6 unique-local and site-local), multicast and reserved addresses, and IPv6 forms that stand
 * for one of those IPv4 addresses (IPv4-mapped, NAT64, 6to4) — unless inside a network the operator allows
 * (catalog's {@code lgsp.catalog.webhook-allowed-networks}, audit's {@code lgsp.audit.alerts.webhook-allowed-networks},
 * e.g. the province's own network).
 * <p>
 * Pure: decides on addresses already resolved; {@link DestinationLookup} does the resolving.
 */
public final class WebhookDestinations {

    /** Why an address is refused; {@link #label()} is what callers are told. */
    public enum Reason {
        UNSPECIFIED("unspecified"), LOOPBACK("loopback"), LINK_LOCAL("link-local"), PRIVATE("private"),
        MULTICAST("multicast"), RESERVED("reserved");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** A refused address among those of a destination, and why. */
    public record Refusal(InetAddress address, Reason reason) {
    }

    private record Range(Cidr block, Reason reason) {
    }

    private static final List<Range> IPV4 = List.of(
            range("0.0.0.0/8", Reason.UNSPECIFIED), // Linux connects 0.0.0.0 to the local host
            range("127.0.0.0/8", Reason.LOOPBACK),
            range("169.254.0.0/16", Reason.LINK_LOCAL), // cloud metadata endpoints
            range("10.0.0.0/8", Reason.PRIVATE),
            range("172.16.0.0/12", Reason.PRIVATE),
            range("192.168.0.0/16", Reason.PRIVATE),
            range("100.64.0.0/10", Reason.PRIVATE), // CGNAT, also some clouds' metadata (100.100.100.200)
            range("192.0.0.0/24", Reason.RESERVED),
            range("198.18.0.0/15", Reason.RESERVED),
            range("224.0.0.0/4", Reason.MULTICAST),
            range("240.0.0.0/4", Reason.RESERVED)); // and the broadcast address

    private static final List<Range> IPV6 = List.of(
            range("::/128", Reason.UNSPECIFIED),
            range("::1/128", Reason.LOOPBACK),
            range("::/96", Reason.RESERVED), // deprecated IPv4-compatible addresses (after :: and ::1, which it contains)
            range("fe80::/10", Reason.LINK_LOCAL),
            range("fec0::/10", Reason.PRIVATE), // deprecated site-local
            range("fc00::/7", Reason.PRIVATE), // unique local, e.g. fd00:ec2::254 (metadata)
            range("ff00::/8", Reason.MULTICAST));

    // Built from bytes: Cidr.of reads ::ffff:0:0 as the IPv4 address, as the JDK does.
    private static final Cidr MAPPED = new Cidr(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 0, 0, 0, 0 }, 96);
    private static final Cidr NAT64 = Cidr.of("64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.of("2002::/16");

    private final List<Cidr> allowed;

    /** @param allowed networks where any address is accepted, private or not */
    public WebhookDestinations(List<Cidr> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    private static Range range(String cidr, Reason reason) {
        return new Range(Cidr.of(cidr), reason);
    }

    /** Why {@code address} is refused, or empty when webhooks may go to it. */
    public Optional<Reason> refusal(InetAddress address) {
        byte[] bytes = address.getAddress();
        byte[] ipv4 = embeddedIpv4(bytes);
        if (isAllowed(bytes) || (ipv4 != null && isAllowed(ipv4))) {
            return Optional.empty();
        }
        if (ipv4 != null) {
            return match(IPV4, ipv4);
        }
        return match(bytes.length == 4 ? IPV4 : IPV6, bytes);
    }

    /**
     * The first refused address of a destination, if any. One is enough to refuse it: which address the HTTP client
     * connects to is not ours to choose.
     */
    public Optional<Refusal> firstRefused(Collection<InetAddress> addresses) {
        for (InetAddress a : addresses) {
            Optional<Reason> reason = refusal(a);
            if (reason.isPresent()) {
                return Optional.of(new Refusal(a, reason.get()));
            }
        }
        return Optional.empty();
    }

    private boolean isAllowed(byte[] bytes) {
        return allowed.stream().anyMatch(c -> c.contains(bytes));
    }

    private static Optional<Reason> match(List<Range> ranges, byte[] bytes) {
        return ranges.stream().filter(r -> r.block().contains(bytes)).map(Range::reason).findFirst();
    }

    /** The IPv4 address an IPv6 address stands for (mapped, NAT64 well-known prefix, 6to4), or null. */
    static byte[] embeddedIpv4(byte[] bytes) {
        if (bytes.length != 16) {
            return null;
        }
        if (MAPPED.contains(bytes) || NAT64.contains(bytes)) {
            return Arrays.copyOfRange(bytes, 12, 16);
        }
        if (SIX_TO_FOUR.contains(bytes)) {
            return Arrays.copyOfRange(bytes, 2, 6);
        }
        return null;
    }
}
