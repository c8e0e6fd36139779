package vn.lgsp.routing.gateway;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {

    @Test
    void addressesAndCidrBlocksOfBothFamilies() {
        TrustedProxies p = TrustedProxies.parse(List.of("10.42.0.0/16", "192.168.1.7", "fd00:1::/32", " "));
        assertTrue(p.trusts("10.42.3.4"));
        assertTrue(p.trusts("10.42.255.255"));
        assertFalse(p.trusts("10.43.0.1"));
        assertTrue(p.trusts("192.168.1.7"));
        assertFalse(p.trusts("192.168.1.8"));
        assertTrue(p.trusts("fd00:1:abcd::5"));
        assertFalse(p.trusts("fd00:2::5"));
        assertFalse(p.trusts(null));
        assertFalse(p.trustsAll());
    }

    @Test
    void anOddPrefixLengthMasksWithinAByte() {
        TrustedProxies p = TrustedProxies.parse(List.of("172.16.0.0/12"));
        assertTrue(p.trusts("172.31.255.1"));
        assertFalse(p.trusts("172.32.0.1"));
    }

    @Test
    void aPeerIsMatchedByItsLiteralAddressNeverByResolvingIt() {
        TrustedProxies p = TrustedProxies.parse(List.of("127.0.0.1"));
        assertTrue(p.trusts("127.0.0.1"));
        assertFalse(p.trusts("localhost"), "a name from the connection is not looked up on the event loop");
    }

    @Test
    void anEmptyListTrustsEveryPeerAsQuarkusDoes() {
        TrustedProxies p = TrustedProxies.parse(List.of());
        assertTrue(p.trustsAll());
        assertTrue(p.trusts("198.51.100.1"));
    }

    @Test
    void aBadEntryIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrustedProxies.parse(List.of("10.0.0.0/40")));
        assertTrue(e.getMessage().contains("10.0.0.0/40"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse(List.of("10.0.0.0/x")));
        assertTrue(e.getMessage().contains("10.0.0.0/x"), e.getMessage());
    }
}
