package vn.lgsp.e2e;

import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import vn.lgsp.common.httpsig.ContentDigest;
import vn.lgsp.common.httpsig.HttpSignatures;
import vn.lgsp.common.httpsig.SignedMessage;

/** Signs gateway and exchange calls as an integrator's RFC 9421 client would: method, target URI, content-digest, created, nonce. */
final class Signing {

    private Signing() {
    }

    /** The headers of a signed call ({@code Signature-Input}, {@code Signature}, and for a body its digest and type). */
    static Map<String, String> headers(PlatformClient client, String accessKey, String secretKey, String method, String path,
            byte[] body) {
        return headers(client, "gateway", accessKey, secretKey, method, path, body);
    }

    /** As above, to another of the platform's addresses (routing's exchange API takes the same signatures). */
    static Map<String, String> headers(PlatformClient client, String service, String accessKey, String secretKey,
            String method, String path, byte[] body) {
        URI target = URI.create(client.url(service) + path);
        Map<String, String> headers = new HashMap<>();
        if (body != null) {
            headers.put("Content-Digest", ContentDigest.sha256Header(body));
            headers.put("Content-Type", "application/json");
        }
        Map<String, List<String>> multi = new HashMap<>();
        headers.forEach((k, v) -> multi.put(k, List.of(v)));
        SignedMessage message = SignedMessage.of(method, target.getScheme(), target.getRawAuthority(), target.getRawPath(),
                target.getRawQuery(), multi);
        headers.putAll(HttpSignatures.sign(message, "sig1", HttpSignatures.defaultComponents(body != null), accessKey,
                HttpSignatures.keyBytes(secretKey), Instant.now().getEpochSecond(), UUID.randomUUID().toString()));
        return headers;
    }
}
