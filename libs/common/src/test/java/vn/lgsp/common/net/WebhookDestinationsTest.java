package vn.lgsp.common.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import vn.lgsp.common.net.DestinationLookup.Check;
import vn.lgsp.common.net.WebhookDestinations.Reason;
import vn.lgsp.common.net.WebhookDestinations.Refusal;

/** The address rules of webhook destinations, each range at and just outside its edges, and the allow-list. */
class WebhookDestinationsTest {

    private static final WebhookDestinations PRODUCTION = new WebhookDestinations(List.of());

    /** Only IP literals here: InetAddress parses them without any DNS look-up. */
    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    /** An IPv6 address kept as IPv6 even in the IPv4-mapped form (InetAddress.getByName would turn it into IPv4). */
    private static InetAddress ipv6(String hex) {
        try {
            byte[] b = new byte[16];
            for (int i = 0; i < 16; i++) {
                b[i] = (byte) Integer.parseInt(hex.substring(i * 2, i * 2 + 2), 16);
            }
            return Inet6Address.getByAddress(null, b, -1);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest(name = "{0} is refused as {1}")
    @CsvSource({
            "0.0.0.0, UNSPECIFIED", "0.255.255.255, UNSPECIFIED",
            "127.0.0.1, LOOPBACK", "127.255.255.254, LOOPBACK",
            "169.254.169.254, LINK_LOCAL", "169.254.0.0, LINK_LOCAL", "169.254.255.255, LINK_LOCAL",
            "10.0.0.0, PRIVATE", "10.1.2.3, PRIVATE", "10.255.255.255, PRIVATE",
            "172.16.0.0, PRIVATE", "172.31.255.255, PRIVATE",
            "192.168.0.0, PRIVATE", "192.168.1.10, PRIVATE", "192.168.255.255, PRIVATE",
            "100.64.0.0, PRIVATE", "100.100.100.200, PRIVATE", "100.127.255.255, PRIVATE",
            "224.0.0.1, MULTICAST", "239.255.255.250, MULTICAST",
            "240.0.0.1, RESERVED", "255.255.255.255, RESERVED", "192.0.0.192, RESERVED", "198.18.0.1, RESERVED",
            "::, UNSPECIFIED", "::1, LOOPBACK",
            "fe80::1, LINK_LOCAL", "febf:ffff::1, LINK_LOCAL",
            "fc00::1, PRIVATE", "fd00::1, PRIVATE", "fd00:ec2::254, PRIVATE", "fdff:ffff::1, PRIVATE", "fec0::1, PRIVATE",
            "ff02::1, MULTICAST", "ff0e::1, MULTICAST",
            "::127.0.0.1, RESERVED", "::8.8.8.8, RESERVED"
    })
    void internalAddressesAreRefused(String address, Reason reason) {
        assertEquals(Optional.of(reason), PRODUCTION.refusal(ip(address)));
    }

    @ParameterizedTest(name = "{0} is allowed")
    @ValueSource(strings = {
            "8.8.8.8", "1.1.1.1", "203.162.4.190", "11.0.0.0", "9.255.255.255", "126.255.255.255", "128.0.0.0",
            "169.253.255.255", "169.255.0.0", "172.15.255.255", "172.32.0.0", "192.167.255.255", "192.169.0.0",
            "100.63.255.255", "100.128.0.0", "223.255.255.255", "1.0.0.0",
            "2001:4860:4860::8888", "2402:800:6371::1", "fbff:ffff::1", "fe00::1", "fe7f::1",
            "64:ff9b::808:808", "2002:808:808::1"
    })
    void publicAddressesAreAllowed(String address) {
        assertEquals(Optional.empty(), PRODUCTION.refusal(ip(address)));
    }

    @Test
    void ipv6FormsOfInternalIpv4AddressesAreJudgedByTheIpv4Address() {
        // IPv4-mapped, kept as Inet6Address (the JDK itself reads ::ffff:a.b.c.d as IPv4, checked below).
        assertEquals(Optional.of(Reason.LOOPBACK), PRODUCTION.refusal(ipv6("00000000000000000000ffff7f000001")));
        assertEquals(Optional.of(Reason.LINK_LOCAL), PRODUCTION.refusal(ipv6("00000000000000000000ffffa9fea9fe")));
        assertEquals(Optional.of(Reason.PRIVATE), PRODUCTION.refusal(ipv6("00000000000000000000ffff0a010203")));
        assertEquals(Optional.of(Reason.UNSPECIFIED), PRODUCTION.refusal(ipv6("00000000000000000000ffff00000000")));
        assertEquals(Optional.empty(), PRODUCTION.refusal(ipv6("00000000000000000000ffff08080808")));
        assertEquals(Optional.of(Reason.PRIVATE), PRODUCTION.refusal(ip("::ffff:10.1.2.3")));
        assertEquals(Optional.of(Reason.LOOPBACK), PRODUCTION.refusal(ip("::ffff:127.0.0.1")));
        // NAT64 (64:ff9b::/96) and 6to4 (2002::/16) reach the IPv4 address they carry.
        assertEquals(Optional.of(Reason.LINK_LOCAL), PRODUCTION.refusal(ip("64:ff9b::a9fe:a9fe")));
        assertEquals(Optional.of(Reason.PRIVATE), PRODUCTION.refusal(ip("64:ff9b::c0a8:10a")));
        assertEquals(Optional.of(Reason.PRIVATE), PRODUCTION.refusal(ip("2002:a00:1::1")));
        assertEquals(Optional.of(Reason.LOOPBACK), PRODUCTION.refusal(ip("2002:7f00:1::")));
        assertArrayEquals(new byte[] { 10, 0, 0, 1 }, WebhookDestinations.embeddedIpv4(ip("2002:a00:1::1").getAddress()));
        assertNull(WebhookDestinations.embeddedIpv4(ip("2001:db8::1").getAddress()));
        assertNull(WebhookDestinations.embeddedIpv4(ip("10.0.0.1").getAddress()));
    }

    @Test
    void otherWaysOfWritingAnIpv4AddressEndAtTheSameAddress() {
        // The check sees what the JDK (and so the HTTP client) makes of the host, whatever its spelling.
        assertEquals(Optional.of(Reason.PRIVATE), PRODUCTION.refusal(ip("167772161"))); // 10.0.0.1
        assertEquals(Optional.of(Reason.LOOPBACK), PRODUCTION.refusal(ip("127.1")));
        assertEquals(Optional.of(Reason.UNSPECIFIED), PRODUCTION.refusal(ip("0")));
    }

    @Test
    void allowedNetworksOpenOnlyThemselves() {
        WebhookDestinations province = new WebhookDestinations(List.of(Cidr.of("10.20.0.0/16"), Cidr.of("fd12:3456::/48"),
                Cidr.of("192.168.7.7")));
        assertEquals(Optional.empty(), province.refusal(ip("10.20.0.0")));
        assertEquals(Optional.empty(), province.refusal(ip("10.20.255.255")));
        assertEquals(Optional.of(Reason.PRIVATE), province.refusal(ip("10.21.0.0")));
        assertEquals(Optional.of(Reason.PRIVATE), province.refusal(ip("10.19.255.255")));
        assertEquals(Optional.empty(), province.refusal(ip("fd12:3456:0:1::5")));
        assertEquals(Optional.of(Reason.PRIVATE), province.refusal(ip("fd12:3457::1")));
        assertEquals(Optional.empty(), province.refusal(ip("192.168.7.7")));
        assertEquals(Optional.of(Reason.PRIVATE), province.refusal(ip("192.168.7.8")));
        // The same destination written as IPv6 is allowed as well; the rest stays refused.
        assertEquals(Optional.empty(), province.refusal(ipv6("00000000000000000000ffff0a140005")));
        assertEquals(Optional.empty(), province.refusal(ip("64:ff9b::a14:5")));
        assertEquals(Optional.of(Reason.LOOPBACK), province.refusal(ip("127.0.0.1")));
        assertEquals(Optional.of(Reason.LINK_LOCAL), province.refusal(ip("169.254.169.254")));
        assertEquals(Optional.empty(), province.refusal(ip("8.8.8.8")));
    }

    @Test
    void theTestProfileAllowsLoopbackOnly() {
        WebhookDestinations test = new WebhookDestinations(List.of(Cidr.of("127.0.0.0/8"), Cidr.of("::1/128")));
        assertEquals(Optional.empty(), test.refusal(ip("127.0.0.1")));
        assertEquals(Optional.empty(), test.refusal(ip("::1")));
        assertEquals(Optional.of(Reason.UNSPECIFIED), test.refusal(ip("0.0.0.0")));
        assertEquals(Optional.of(Reason.UNSPECIFIED), test.refusal(ip("::")));
        assertEquals(Optional.of(Reason.PRIVATE), test.refusal(ip("fd00::1")));
    }

    @Test
    void oneRefusedAddressRefusesTheDestination() throws Exception {
        InetAddress publicOne = InetAddress.getByAddress("hooks.example.vn", new byte[] { 8, 8, 8, 8 });
        InetAddress internal = InetAddress.getByAddress("hooks.example.vn", new byte[] { 10, 0, 0, 5 });
        assertEquals(Optional.of(new Refusal(internal, Reason.PRIVATE)), PRODUCTION.firstRefused(List.of(publicOne, internal)));
        assertEquals(Optional.of(new Refusal(internal, Reason.PRIVATE)), PRODUCTION.firstRefused(List.of(internal)));
        assertEquals(Optional.empty(), PRODUCTION.firstRefused(List.of(publicOne, ip("2001:4860:4860::8888"))));
        assertEquals(Optional.empty(), PRODUCTION.firstRefused(List.of()));
    }

    @Test
    void theDeliveryErrorSaysWhichAddressAndWhy() throws Exception {
        InetAddress internal = InetAddress.getByAddress("hooks.example.vn", new byte[] { 10, 0, 0, 5 });
        Refusal refusal = new Refusal(internal, Reason.PRIVATE);
        assertEquals("destination 10.0.0.5 is not allowed for webhooks (private address)",
                new Check("10.0.0.5", true, Optional.of(refusal), null, List.of(internal)).deliveryError());
        assertEquals("destination hooks.example.vn resolves to 10.0.0.5, which is not allowed for webhooks (private address)",
                new Check("hooks.example.vn", false, Optional.of(refusal), null, List.of(internal)).deliveryError());
        assertEquals("destination nowhere.invalid does not resolve",
                new Check("nowhere.invalid", false, Optional.empty(), "does not resolve", List.of()).deliveryError());
    }

    @Test
    void theHostOfAUrlIsWhatInetAddressExpects() {
        assertEquals("::1", DestinationLookup.host("http://[::1]:8080/x"));
        assertEquals("10.1.2.3", DestinationLookup.host("https://10.1.2.3/hook?x=1"));
        assertEquals("hooks.example.vn", DestinationLookup.host("https://hooks.example.vn/lgsp"));
        assertNull(DestinationLookup.host("not a url"));
        assertNull(DestinationLookup.host(null));
        assertTrue(DestinationLookup.isLiteral("::1"));
        assertTrue(DestinationLookup.isLiteral("167772161"));
        assertTrue(DestinationLookup.isLiteral("10.1.2.3"));
        assertFalse(DestinationLookup.isLiteral("hooks.example.vn"));
        assertFalse(DestinationLookup.isLiteral("10.1.2.3.nip.io"));
    }

    @Test
    void cidrBlocksAreParsedStrictly() {
        Cidr block = Cidr.of(" 10.20.0.0/16 ");
        assertEquals("10.20.0.0/16", block.toString());
        assertTrue(block.contains(ip("10.20.3.4").getAddress()));
        assertFalse(block.contains(ip("10.21.3.4").getAddress()));
        assertFalse(block.contains(ip("::1").getAddress()), "an IPv4 block holds no IPv6 address");
        assertEquals(Cidr.of("127.0.0.1/32"), Cidr.of("127.0.0.1"));
        assertEquals(Cidr.of("::1/128"), Cidr.of("::1"));
        assertTrue(Cidr.of("0.0.0.0/0").contains(ip("203.162.4.190").getAddress()));
        assertTrue(Cidr.of("fd12:3456::/48").contains(ip("fd12:3456:0:ffff::1").getAddress()));
        assertTrue(Cidr.of("172.16.0.0/12").contains(ip("172.31.255.255").getAddress()));
        assertFalse(Cidr.of("172.16.0.0/12").contains(ip("172.32.0.0").getAddress()));
    }

    @ParameterizedTest(name = "''{0}'' is refused: {1}")
    @CsvSource(delimiter = '|', value = {
            "10.0.0.0/33|prefix length must be 0 to 32",
            "fd00::/129|prefix length must be 0 to 128",
            "10.0.0.0/-1|prefix length must be 0 to 32",
            "10.0.0.0/ 8|prefix length must be 0 to 32",
            "10.1.2.3/8|did you mean 10.0.0.0/8?",
            "192.168.10.0/16|did you mean 192.168.0.0/16?",
            "intranet.angiang.gov.vn/24|host names are not accepted",
            "10.0.0/8|is not an IPv4 or IPv6 address",
            "256.0.0.0/8|is not an IPv4 or IPv6 address",
            "10.0.0.0/8/8|expected address/prefix",
            "::ffff:10.0.0.0/104|write an IPv4-mapped network as IPv4",
            "fd00:::1/64|is not an IPv4 or IPv6 address"
    })
    void badCidrBlocksAreRefusedSayingWhy(String value, String why) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cidr.of(value));
        assertTrue(e.getMessage().contains("'" + value + "' is not a CIDR block"), e.getMessage());
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }
}
