package vn.lgsp.auth.key.api;

import io.smallrye.mutiny.Uni;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;
import java.math.BigInteger;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import vn.lgsp.auth.key.service.SigningKeys;

/** The public keys that verify every platform token (RFC 7517), read by every service and by providers. */
@Path("/oauth2/jwks")
@Tag(name = "oauth2")
public class JwksResource {

    public static final String JWKS_MEDIA_TYPE = "application/jwk-set+json";

    @Inject
    SigningKeys keys;

    @GET
    @Produces({ "application/json", JWKS_MEDIA_TYPE })
    @Operation(summary = "JSON Web Key Set", description = "The active key and retired keys still inside their overlap window. "
            + "Verifiers should refetch when they meet an unknown kid.")
    public Uni<Response> jwks() {
        return keys.current().map(state -> {
            List<Map<String, Object>> jwks = new ArrayList<>();
            // Active key first: some libraries try keys in order when a token has no kid.
            state.published().stream()
                    .sorted((a, b) -> a.kid().equals(state.activeKid()) ? -1 : b.kid().equals(state.activeKid()) ? 1 : 0)
                    .forEach(k -> jwks.add(jwk(k.kid(), state.verification().get(k.kid()))));
            return Response.ok(Map.of("keys", jwks), "application/json")
                    // Short: verifiers must see a new key soon after a rotation.
                    .header("Cache-Control", "public, max-age=60").build();
        });
    }

    static Map<String, Object> jwk(String kid, RSAPublicKey key) {
        Map<String, Object> jwk = new LinkedHashMap<>();
        jwk.put("kty", "RSA");
        jwk.put("kid", kid);
        jwk.put("use", "sig");
        jwk.put("alg", SigningKeys.ALGORITHM);
        jwk.put("n", b64(key.getModulus()));
        jwk.put("e", b64(key.getPublicExponent()));
        return jwk;
    }

    /** base64url of the unsigned big-endian bytes (RFC 7518 §6.3.1). */
    private static String b64(BigInteger v) {
        byte[] bytes = v.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
