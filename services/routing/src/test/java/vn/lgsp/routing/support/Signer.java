package vn.lgsp.routing.support;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import vn.lgsp.common.httpsig.ContentDigest;
import vn.lgsp.common.httpsig.HttpSignatures;
import vn.lgsp.common.httpsig.SignedMessage;

/** Signs requests as an agency system's client library would (RFC 9421 hmac-sha256, shared libs code). */
public final class Signer {

    private Signer() {
    }

    public static Map<String, String> sign(String method, String pathAndQuery, byte[] body, String accessKey) {
        return sign(method, pathAndQuery, body, accessKey, RoutingTestResource.SECRET_KEY,
                System.currentTimeMillis() / 1000, UUID.randomUUID().toString());
    }

    /** The headers to send: Signature-Input, Signature and, with a body, Content-Digest. */
    public static Map<String, String> sign(String method, String pathAndQuery, byte[] body, String accessKey,
            String secret, long created, String nonce) {
        return sign(method, "http", "localhost:" + Gateway.port(), pathAndQuery, body, accessKey, secret, created, nonce);
    }

    /** As above, for the URL the caller sees (e.g. https at an Ingress in front of the gateway). */
    public static Map<String, String> sign(String method, String scheme, String authority, String pathAndQuery,
            byte[] body, String accessKey, String secret, long created, String nonce) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? null : pathAndQuery.substring(q + 1);
        Map<String, String> headers = new HashMap<>();
        if (body != null) {
            headers.put("Content-Digest", ContentDigest.sha256Header(body));
        }
        Map<String, List<String>> multi = new HashMap<>();
        headers.forEach((k, v) -> multi.put(k, List.of(v)));
        SignedMessage message = SignedMessage.of(method, scheme, authority, path, query, multi);
        headers.putAll(HttpSignatures.sign(message, "sig1", HttpSignatures.defaultComponents(body != null), accessKey,
                HttpSignatures.keyBytes(secret), created, nonce));
        return headers;
    }
}
