package vn.lgsp.routing.transform;

import static vn.lgsp.routing.support.Gateway.gateway;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import vn.lgsp.routing.support.RoutingTestResource;
import vn.lgsp.routing.support.Tokens;

/** Optional JSON ↔ XML per version (catalog's convert): a JSON caller in front of an XML provider, and back. */
@QuarkusTest
@QuarkusTestResource(RoutingTestResource.class)
class ConversionTest {

    @Test
    void aJsonCallerTalksToAnXmlProviderBothWays() {
        String requestId = "convert-" + System.nanoTime();
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).header("X-Request-Id", requestId)
                .contentType("application/json").accept("application/json")
                .body("{\"hoTen\":\"Lê Thị Cúc\",\"namSinh\":1990}")
                .post("/xml-ws/v1/xml/ho-so").then().statusCode(200)
                .contentType(startsWith("application/json"))
                .body("provider", equalTo("lgsp-stub-upstream"))
                .body("contentType", startsWith("application/xml"))
                .body("body", containsString("<request><hoTen>Lê Thị Cúc</hoTen><namSinh>1990</namSinh></request>"))
                .body("item", equalTo(List.of("1", "2")));
        var received = RoutingTestResource.upstream().received().stream()
                .filter(h -> requestId.equals(h.get("x-request-id"))).findFirst().orElseThrow();
        assertTrue(received.get("accept").startsWith("application/xml"), "the provider is asked for its own format");
    }

    @Test
    void aCallerThatAcceptsXmlGetsTheProvidersAnswerUntouched() {
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).accept("application/xml")
                .get("/xml-ws/v1/xml/ho-so").then().statusCode(200)
                .contentType(startsWith("application/xml"))
                .body(startsWith("<answer><provider>lgsp-stub-upstream</provider>"));
    }

    @Test
    void aBodyThatCannotBeConvertedIs400NamingTheBodyAndNeverReachesTheProvider() {
        String requestId = "convert-bad-" + System.nanoTime();
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).header("X-Request-Id", requestId)
                .contentType("application/json").body("{\"hoTen\": ").post("/xml-ws/v1/xml/ho-so").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:lgsp:problem:malformed-body"))
                .body("errors[0].field", equalTo("body"))
                .body("errors[0].rule", equalTo("well-formed-json"));
        assertTrue(RoutingTestResource.upstream().received().stream()
                .noneMatch(h -> requestId.equals(h.get("x-request-id"))));
    }

    @Test
    void xmlWithExternalEntitiesIsRefusedBeforeTheProvider() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><a>&e;</a>";
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).contentType("application/xml").body(xxe)
                .post("/json-ws/v1/x").then().statusCode(400)
                .body("type", equalTo("urn:lgsp:problem:malformed-body"))
                .body("detail", containsString("JSON for the provider"));
    }

    @Test
    void anXmlCallerTalksToAJsonProvider() {
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).contentType("application/xml")
                .body("<ho-so><so>42</so></ho-so>").post("/json-ws/v1/x").then().statusCode(200)
                .body("headers.content-type", startsWith("application/json"))
                .body("bodySha256", equalTo(sha256("{\"so\":\"42\"}")));
    }

    @Test
    void theConverterItself() {
        assertEquals("json", BodyConverter.formatOf("application/problem+json; charset=utf-8"));
        assertEquals("xml", BodyConverter.formatOf("text/xml"));
        assertNull(BodyConverter.formatOf("text/plain"));
        assertEquals("json", BodyConverter.acceptedFormat("application/json, */*;q=0.1"));
        assertNull(BodyConverter.acceptedFormat("application/json, application/xml"), "no single preference");
        byte[] xml = BodyConverter.convert("{\"a\":{\"b\":[\"1\",\"2\"]}}".getBytes(StandardCharsets.UTF_8), "json", "xml", "request");
        assertEquals("<request><a><b>1</b><b>2</b></a></request>", new String(xml, StandardCharsets.UTF_8));
        assertEquals("{\"a\":{\"b\":[\"1\",\"2\"]}}", new String(BodyConverter.convert(xml, "xml", "json", "x"),
                StandardCharsets.UTF_8));
        assertThrows(IllegalArgumentException.class,
                () -> BodyConverter.convert("[1,2]".getBytes(StandardCharsets.UTF_8), "json", "xml", "request"),
                "a JSON array has no XML document form");
    }

    private static String sha256(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
