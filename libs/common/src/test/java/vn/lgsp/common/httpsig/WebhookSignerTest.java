package vn.lgsp.common.httpsig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

    private static final WebhookSigner SIGNER = new WebhookSigner("key-1".getBytes(StandardCharsets.UTF_8));

    @Test
    void secretsAreDerivedPerSubjectAndGenerationAndStable() {
        String s1 = SIGNER.secret("rule-a", 1);
        assertEquals(s1, new WebhookSigner("key-1".getBytes(StandardCharsets.UTF_8)).secret("rule-a", 1), "no state: same key, same secret");
        assertTrue(s1.startsWith("whsec_") && s1.length() == "whsec_".length() + 43, s1);
        assertNotEquals(s1, SIGNER.secret("rule-a", 2), "rotation changes it");
        assertNotEquals(s1, SIGNER.secret("rule-b", 1));
        assertNotEquals(s1, new WebhookSigner("key-2".getBytes(StandardCharsets.UTF_8)).secret("rule-a", 1));
        assertEquals("rule-a.3", WebhookSigner.keyId("rule-a", 3));
    }

    @Test
    void theConfiguredKeyWinsThenTheClientSecretElseARandomKey() {
        String configured = WebhookSigner.fromConfig(Optional.of("key-1"), Optional.of("cs"), "label", "p").secret("x", 1);
        assertEquals(SIGNER.secret("x", 1), configured);
        String derived = WebhookSigner.fromConfig(Optional.of(" "), Optional.of("cs"), "label", "p").secret("x", 1);
        assertEquals(derived, WebhookSigner.fromConfig(Optional.empty(), Optional.of("cs"), "label", "p").secret("x", 1));
        assertNotEquals(derived, WebhookSigner.fromConfig(Optional.empty(), Optional.of("cs"), "other", "p").secret("x", 1),
                "the label separates services sharing a client secret");
        assertNotEquals(WebhookSigner.fromConfig(Optional.empty(), Optional.empty(), "label", "p").secret("x", 1),
                WebhookSigner.fromConfig(Optional.empty(), Optional.empty(), "label", "p").secret("x", 1));
    }

    @Test
    void aSignedRequestVerifiesWithThePlatformVerifierAndNothingElseDoes() {
        byte[] body = "{\"alert\":1}".getBytes(StandardCharsets.UTF_8);
        URI uri = URI.create("https://hooks.example.gov.vn:8443/lgsp/alerts?src=audit");
        long created = 1_790_000_000L;
        Map<String, String> headers = SIGNER.sign(uri, body, "rule-a", 2, created);
        assertEquals(ContentDigest.sha256Header(body), headers.get("Content-Digest"));
        Clock clock = Clock.fixed(Instant.ofEpochSecond(created + 5), ZoneOffset.UTC);
        Map<String, List<String>> received = Map.of("content-digest", List.of(headers.get("Content-Digest")),
                "signature-input", List.of(headers.get("Signature-Input")), "signature", List.of(headers.get("Signature")));
        SignedMessage message = SignedMessage.of("POST", "https", "hooks.example.gov.vn:8443", "/lgsp/alerts", "src=audit", received);
        String secret = SIGNER.secret("rule-a", 2);
        Map<String, Boolean> nonces = new ConcurrentHashMap<>();
        HttpSignatures.Verified v = HttpSignatures.verify(message, true,
                k -> k.equals("rule-a.2") ? List.of(HttpSignatures.keyBytes(secret)) : List.of(),
                (k, n, until) -> nonces.putIfAbsent(k + n, true) == null, clock);
        assertEquals("rule-a.2", v.keyId());
        assertTrue(v.components().containsAll(List.of("@method", "@target-uri", "content-digest")), v.components().toString());

        SignedMessage elsewhere = SignedMessage.of("POST", "https", "evil.example", "/lgsp/alerts", "src=audit", received);
        assertThrows(SignatureException.class, () -> HttpSignatures.verify(elsewhere, true,
                k -> List.of(HttpSignatures.keyBytes(secret)), (k, n, until) -> true, clock), "bound to its target");
        String oldSecret = SIGNER.secret("rule-a", 1);
        assertThrows(SignatureException.class, () -> HttpSignatures.verify(message, true,
                k -> List.of(HttpSignatures.keyBytes(oldSecret)), (k, n, until) -> true, clock), "only its generation's secret");
    }
}
