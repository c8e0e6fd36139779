package vn.lgsp.routing.gateway;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import vn.lgsp.common.net.Cidr;

/**
 * The proxies whose Forwarded / X-Forwarded-* headers the data plane believes (quarkus.http.proxy.trusted-proxies,
 * the same setting as the Quarkus port's): IP addresses, CIDR blocks, or host names resolved once at start. An
 * empty list trusts every peer, as Quarkus does; the Helm chart refuses forwarding without a list.
 */
final class TrustedProxies {

    private final List<Cidr> blocks;

    private TrustedProxies(List<Cidr> blocks) {
        this.blocks = blocks;
    }

    /** @throws IllegalArgumentException naming the entry that is neither an address, a CIDR nor a resolvable name */
    static TrustedProxies parse(List<String> entries) {
        List<Cidr> blocks = new ArrayList<>();
        for (String raw : entries) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int slash = entry.indexOf('/');
            try {
                if (slash >= 0) {
                    blocks.add(Cidr.of(entry));
                } else {
                    for (InetAddress a : InetAddress.getAllByName(entry)) {
                        blocks.add(new Cidr(a.getAddress(), a.getAddress().length * 8));
                    }
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("quarkus.http.proxy.trusted-proxies: " + e.getMessage(), e);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("quarkus.http.proxy.trusted-proxies: not an address, CIDR or known host: " + entry, e);
            }
        }
        return new TrustedProxies(List.copyOf(blocks));
    }

    boolean trustsAll() {
        return blocks.isEmpty();
    }

    /** True if the peer's literal address (never resolved: no DNS on the event loop) is trusted. */
    boolean trusts(String peerAddress) {
        if (blocks.isEmpty()) {
            return true;
        }
        if (peerAddress == null) {
            return false;
        }
        byte[] address = literal(peerAddress);
        if (address == null) {
            return false;
        }
        for (Cidr b : blocks) {
            if (b.contains(address)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] literal(String address) {
        // Only IP literals reach here (Netty gives the peer's numeric address); anything else is not trusted.
        if (address.indexOf(':') < 0 && !address.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'))) {
            return null;
        }
        try {
            String plain = address.startsWith("[") ? address.substring(1, address.length() - 1) : address;
            int zone = plain.indexOf('%');
            return InetAddress.getByName(zone < 0 ? plain : plain.substring(0, zone)).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
