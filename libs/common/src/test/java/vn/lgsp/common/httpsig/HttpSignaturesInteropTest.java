package vn.lgsp.common.httpsig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests signed by an independent RFC 9421 implementation (the npm package http-message-signatures; see
 * src/test/interop/generate-fixtures.mjs, which produced src/test/resources/httpsig/interop-fixtures.json) must
 * pass LGSP's verifier — the code auth and routing both run — and fail once anything covered is changed.
 */
class HttpSignaturesInteropTest {

    private static final JsonNode FIXTURES = load();
    private static final byte[] SECRET = HttpSignatures.keyBytes(FIXTURES.path("secret").asText());
    private static final String KEY_ID = FIXTURES.path("keyid").asText();
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(FIXTURES.path("created").asLong() + 10),
            ZoneOffset.UTC);

    static List<JsonNode> requests() {
        List<JsonNode> list = new ArrayList<>();
        FIXTURES.path("requests").forEach(list::add);
        return list;
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("requests")
    void aRequestSignedByAnotherImplementationVerifies(JsonNode request) {
        SignedMessage message = message(request, request.path("url").asText());
        boolean hasBody = !request.path("body").isNull();

        HttpSignatures.Verified verified = HttpSignatures.verify(message, hasBody, this::keys,
                new InMemoryNonceStore(10, CLOCK), CLOCK);

        assertEquals(KEY_ID, verified.keyId());
        assertEquals("sig", verified.label());
        if (hasBody) {
            ContentDigest.verify(message.header("content-digest").get(0),
                    request.path("body").asText().getBytes(StandardCharsets.UTF_8));
        }
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("requests")
    void theSameRequestWithAnotherTargetOrSecretIsRefused(JsonNode request) {
        String url = request.path("url").asText();
        String tampered = url.contains("?") ? url.replace("?", "?x=1&") : url + "?x=1";
        SignatureException moved = assertThrows(SignatureException.class, () -> HttpSignatures.verify(
                message(request, tampered), !request.path("body").isNull(), this::keys,
                new InMemoryNonceStore(10, CLOCK), CLOCK));
        assertEquals(SignatureException.Reason.BAD_SIGNATURE, moved.reason());

        SignatureException otherSecret = assertThrows(SignatureException.class, () -> HttpSignatures.verify(
                message(request, url), !request.path("body").isNull(),
                id -> List.of(HttpSignatures.keyBytes("another-secret")), new InMemoryNonceStore(10, CLOCK), CLOCK));
        assertEquals(SignatureException.Reason.BAD_SIGNATURE, otherSecret.reason());
    }

    @ParameterizedTest(name = "{index}: {0}")
    @MethodSource("requests")
    void duringARotationOverlapTheOldSecretStillVerifies(JsonNode request) {
        // the key was rotated: the new secret comes first, the fixture's (old) secret second
        HttpSignatures.Verified verified = HttpSignatures.verify(message(request, request.path("url").asText()),
                !request.path("body").isNull(), id -> List.of(HttpSignatures.keyBytes("the-new-secret"), SECRET),
                new InMemoryNonceStore(10, CLOCK), CLOCK);
        assertFalse(verified.components().isEmpty());
    }

    private List<byte[]> keys(String keyId) {
        return KEY_ID.equals(keyId) ? List.of(SECRET) : List.of();
    }

    private static SignedMessage message(JsonNode request, String url) {
        URI uri = URI.create(url);
        String authority = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        request.path("headers").fields().forEachRemaining(e -> headers.put(e.getKey(), List.of(e.getValue().asText())));
        return SignedMessage.of(request.path("method").asText(), uri.getScheme(), authority, uri.getRawPath(),
                uri.getRawQuery(), headers);
    }

    private static JsonNode load() {
        try (InputStream in = HttpSignaturesInteropTest.class.getResourceAsStream("/httpsig/interop-fixtures.json")) {
            return new ObjectMapper().readTree(in);
        } catch (Exception e) {
            throw new IllegalStateException("interop fixtures missing", e);
        }
    }
}
