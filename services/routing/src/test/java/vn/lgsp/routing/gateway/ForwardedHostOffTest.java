package vn.lgsp.routing.gateway;

import static vn.lgsp.routing.support.Gateway.gateway;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import vn.lgsp.routing.support.RoutingTestResource;
import vn.lgsp.routing.support.Signer;

/**
 * With {@code quarkus.http.proxy.enable-forwarded-host=false} the data plane, like the Quarkus port, believes a
 * trusted proxy's X-Forwarded-Proto but not its X-Forwarded-Host: a signature is checked against the request's own
 * Host. (The other tests run with it on, as the chart sets it.)
 */
@QuarkusTest
@TestProfile(ForwardedHostOffTest.HostOff.class)
@QuarkusTestResource(RoutingTestResource.class)
class ForwardedHostOffTest {

    public static class HostOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.proxy.enable-forwarded-host", "false");
        }
    }

    private static Map<String, String> signedFor(String scheme, String authority, String url) {
        return Signer.sign("GET", scheme, authority, url, null, RoutingTestResource.ACCESS_KEY,
                RoutingTestResource.SECRET_KEY, System.currentTimeMillis() / 1000, UUID.randomUUID().toString());
    }

    @Test
    void theProxysHostIsNotBelievedItsSchemeIs() {
        String url = "/ho-tich/v1/echo?via=ingress";
        // signed for the Ingress' host: the gateway sees localhost:<port> (the Host header), another signature base
        gateway().headers(signedFor("https", "gw.lgsp.example", url))
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "gw.lgsp.example")
                .get(url).then().statusCode(401).contentType("application/problem+json");
        // signed for https (the proxy's word, believed) and the request's own host: passes, X-Forwarded-Host or not
        // (a forwarded scheme drops the port the proxy was reached on, as Quarkus' own parser does)
        gateway().headers(signedFor("https", "localhost", url))
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-Host", "gw.lgsp.example")
                .get(url).then().statusCode(200);
    }
}
