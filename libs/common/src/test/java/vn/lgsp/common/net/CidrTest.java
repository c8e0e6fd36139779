package vn.lgsp.common.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** The network blocks registry (allowed source IPs), routing (trusted proxies) and catalog (webhook networks) read. */
class CidrTest {

    private static byte[] ip(String literal) throws Exception {
        return InetAddress.getByName(literal).getAddress();
    }

    @Test
    void blocksAndSingleAddressesContainWhatTheySay() throws Exception {
        assertTrue(Cidr.of("10.20.0.0/16").contains(ip("10.20.255.1")));
        assertFalse(Cidr.of("10.20.0.0/16").contains(ip("10.21.0.1")));
        assertTrue(Cidr.of("2001:db8::/32").contains(ip("2001:db8:1::5")));
        assertFalse(Cidr.of("2001:db8::/32").contains(ip("10.20.0.1")), "an IPv4 address is never in an IPv6 block");
        assertEquals(Cidr.of("203.0.113.10/32"), Cidr.of(" 203.0.113.10 "));
        assertTrue(Cidr.of("0.0.0.0/0").contains(ip("8.8.8.8")));
    }

    @Test
    void badBlocksAreRefusedWithTheReason() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Cidr.of("10.1.2.3/8")).getMessage()
                .contains("did you mean 10.0.0.0/8"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Cidr.of("example.vn")).getMessage()
                .contains("host names are not accepted"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Cidr.of("10.0.0.0/33")).getMessage()
                .contains("0 to 32"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.of("300.1.1.1"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.of("2001:db8::/129"));
        assertThrows(IllegalArgumentException.class, () -> Cidr.of("10.0.0.0/8/1"));
    }
}
