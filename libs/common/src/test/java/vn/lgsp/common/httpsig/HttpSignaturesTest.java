package vn.lgsp.common.httpsig;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HttpSignaturesTest {

    private static final String SECRET = "s3cr3t-key-for-tests-only";
    private static final long NOW = 1_800_000_000L;
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(NOW), ZoneOffset.UTC);
    private static final byte[] BODY = "{\"soDinhDanh\":\"001099000123\"}".getBytes(StandardCharsets.UTF_8);

    /** RFC 9421 Appendix B.2.5: the published hmac-sha256 example must verify byte for byte. */
    @Test
    void rfc9421AppendixB25SignatureIsReproduced() {
        byte[] key = Base64.getDecoder().decode(
                "uzvJfB4u3N0Jy4T7NZ75MDVcr8zSTInedJtkgcu46YW4XByzNJjxBdtjUkdJPBtbmHhIDi6pcl8jsasjlTMtDQ==");
        SignedMessage m = SignedMessage.of("POST", "https", "example.com", "/foo", "param=Value&Pet=dog", Map.of(
                "Date", List.of("Tue, 20 Apr 2021 02:07:55 GMT"), "Content-Type", List.of("application/json")));
        Map<String, Object> params = new java.util.LinkedHashMap<>();
        params.put("created", 1618884473L);
        params.put("keyid", "test-shared-secret");
        List<String> components = List.of("date", "@authority", "content-type");
        String base = SignatureBase.build(m, components, StructuredFields.serializeInnerList(components, params));
        assertEquals("""
                "date": Tue, 20 Apr 2021 02:07:55 GMT
                "@authority": example.com
                "content-type": application/json
                "@signature-params": ("date" "@authority" "content-type");created=1618884473;keyid="test-shared-secret\"""",
                base);
        assertArrayEquals(Base64.getDecoder().decode("pxcQw6G3AjtMBQjwo8XzkZf/bws5LelbaMk5rGIGtE8="),
                HttpSignatures.hmac(key, base));
    }

    @Test
    void aSignedPostVerifiesAndItsNonceCannotBeReplayed() {
        InMemoryNonceStore nonces = new InMemoryNonceStore(1000, CLOCK);
        Map<String, List<String>> headers = signedPost(NOW, "nonce-1", HttpSignatures.defaultComponents(true));
        SignedMessage m = post(headers);

        HttpSignatures.Verified v = HttpSignatures.verify(m, true, this::keys, nonces, CLOCK);
        assertEquals("ak-demo", v.keyId());
        ContentDigest.verify(m.header("content-digest").get(0), BODY);

        SignatureException replay = assertThrows(SignatureException.class,
                () -> HttpSignatures.verify(post(headers), true, this::keys, nonces, CLOCK));
        assertEquals(SignatureException.Reason.REPLAYED_NONCE, replay.reason());
    }

    @Test
    void createdOutsideTheSkewWindowIsRefused() {
        assertReason(SignatureException.Reason.STALE, post(signedPost(NOW - 301, "n-stale", HttpSignatures.defaultComponents(true))));
        assertReason(SignatureException.Reason.FUTURE, post(signedPost(NOW + 301, "n-future", HttpSignatures.defaultComponents(true))));
        // at the limit it still passes
        HttpSignatures.verify(post(signedPost(NOW - 300, "n-edge", HttpSignatures.defaultComponents(true))), true,
                this::keys, new InMemoryNonceStore(10, CLOCK), CLOCK);
    }

    @Test
    void tamperingWithTheTargetOrTheSignatureIsRefused() {
        Map<String, List<String>> headers = signedPost(NOW, "n-t", HttpSignatures.defaultComponents(true));
        SignedMessage otherPath = SignedMessage.of("POST", "https", "lgsp.example.vn", "/dan-cu/v1/other", null, headers);
        assertReason(SignatureException.Reason.BAD_SIGNATURE, otherPath);

        Map<String, List<String>> forged = new HashMap<>(headers);
        forged.put("Signature", List.of("sig1=:" + Base64.getEncoder().encodeToString(new byte[32]) + ":"));
        assertReason(SignatureException.Reason.BAD_SIGNATURE, post(forged));
    }

    @Test
    void aBodyWhoseDigestDoesNotMatchIsRefused() {
        Map<String, List<String>> headers = signedPost(NOW, "n-d", HttpSignatures.defaultComponents(true));
        SignatureException e = assertThrows(SignatureException.class,
                () -> ContentDigest.verify(headers.get("Content-Digest").get(0), "{\"other\":1}".getBytes(StandardCharsets.UTF_8)));
        assertEquals(SignatureException.Reason.DIGEST_MISMATCH, e.reason());
    }

    @Test
    void requiredComponentsAndParametersAreEnforced() {
        assertReason(SignatureException.Reason.REQUIRED_COMPONENT_NOT_COVERED,
                post(signedPost(NOW, "n-1", List.of("@method", "@target-uri"))));
        assertReason(SignatureException.Reason.REQUIRED_COMPONENT_NOT_COVERED,
                post(signedPost(NOW, "n-2", List.of("@target-uri", "content-digest"))));
        assertReason(SignatureException.Reason.MISSING_PARAMETER,
                post(signedPost(NOW, null, HttpSignatures.defaultComponents(true))));
        assertReason(SignatureException.Reason.MISSING_SIGNATURE, post(Map.of()));
        assertReason(SignatureException.Reason.MALFORMED, post(Map.of("Signature-Input", List.of("sig1=(\"@method\""),
                "Signature", List.of("sig1=:AAAA:"))));
    }

    @Test
    void anUnknownKeyOrAnotherAlgorithmIsRefused() {
        Map<String, List<String>> headers = signedPost(NOW, "n-k", HttpSignatures.defaultComponents(true));
        SignatureException e = assertThrows(SignatureException.class, () -> HttpSignatures.verify(post(headers), true,
                id -> List.of(), new InMemoryNonceStore(10, CLOCK), CLOCK));
        assertEquals(SignatureException.Reason.UNKNOWN_KEY, e.reason());

        Map<String, List<String>> rsa = new HashMap<>(headers);
        rsa.put("Signature-Input", List.of(headers.get("Signature-Input").get(0).replace("hmac-sha256", "rsa-pss-sha512")));
        assertReason(SignatureException.Reason.UNSUPPORTED_ALGORITHM, post(rsa));
    }

    private List<byte[]> keys(String keyId) {
        return "ak-demo".equals(keyId) ? List.of(HttpSignatures.keyBytes(SECRET)) : List.of();
    }

    private void assertReason(SignatureException.Reason reason, SignedMessage m) {
        SignatureException e = assertThrows(SignatureException.class,
                () -> HttpSignatures.verify(m, true, this::keys, new InMemoryNonceStore(10, CLOCK), CLOCK));
        assertEquals(reason, e.reason(), e.getMessage());
    }

    private static SignedMessage post(Map<String, List<String>> headers) {
        return SignedMessage.of("POST", "https", "lgsp.example.vn", "/dan-cu/v1/citizens", null, headers);
    }

    private static Map<String, List<String>> signedPost(long created, String nonce, List<String> components) {
        Map<String, List<String>> headers = new HashMap<>();
        headers.put("Content-Type", List.of("application/json"));
        headers.put("Content-Digest", List.of(ContentDigest.sha256Header(BODY)));
        Map<String, String> sig = HttpSignatures.sign(post(headers), "sig1", components, "ak-demo",
                HttpSignatures.keyBytes(SECRET), created, nonce);
        sig.forEach((k, v) -> headers.put(k, List.of(v)));
        return headers;
    }
}
