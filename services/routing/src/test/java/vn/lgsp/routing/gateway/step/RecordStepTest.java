package vn.lgsp.routing.gateway.step;

import static vn.lgsp.routing.support.Gateway.gateway;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import vn.lgsp.common.audit.AuditEvent;
import vn.lgsp.common.audit.AuditPublisher;
import vn.lgsp.routing.support.Recorded;
import vn.lgsp.routing.support.RoutingTestResource;
import vn.lgsp.routing.support.Tokens;
import vn.lgsp.testing.TestJwt;

@QuarkusTest
@QuarkusTestResource(RoutingTestResource.class)
class RecordStepTest {

    @Inject
    AuditPublisher publisher;

    private AuditEvent recorded(String requestId) throws InterruptedException {
        return Recorded.byRequestId(publisher, requestId);
    }

    @Test
    void aProxiedCallIsRecordedWithSizesAndHashesButNoPayload() throws Exception {
        String requestId = "record-ok-" + System.nanoTime();
        byte[] body = "{\"hoTen\":\"Nguyen Van A\"}".getBytes();
        byte[] answer = gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).header("X-Request-Id", requestId)
                .contentType("application/json").body(body).post("/ho-tich/v1/khai-sinh?secret=query")
                .then().statusCode(200).extract().asByteArray();
        AuditEvent e = recorded(requestId);
        assertEquals(AuditEvent.TRANSACTION, e.type());
        assertEquals(RoutingTestResource.CONSUMER, e.consumerSystem());
        assertEquals(RoutingTestResource.CONSUMER_AGENCY, e.consumerAgency());
        assertEquals(RoutingTestResource.PROVIDER, e.providerSystem());
        assertEquals(RoutingTestResource.PROVIDER_AGENCY, e.providerAgency());
        assertEquals("ho-tich", e.serviceCode());
        assertEquals("v1", e.serviceVersion());
        assertEquals("production", e.environment());
        assertEquals("POST", e.method());
        assertEquals("/ho-tich/v1/khai-sinh", e.path(), "the query string is not recorded");
        assertEquals(200, e.status());
        assertEquals("ck-" + RoutingTestResource.CONSUMER, e.clientId());
        assertEquals(body.length, e.requestBytes());
        assertEquals(sha256(body), e.requestSha256());
        assertEquals(answer.length, e.responseBytes());
        assertEquals(sha256(answer), e.responseSha256());
        assertNotNull(e.latencyMs());
        assertNotNull(e.upstreamLatencyMs());
        assertTrue(e.traceId() != null && e.traceId().matches("[0-9a-f]{32}"));
        assertNull(e.errorType());
        assertNull(e.before());
        assertNull(e.after());
        assertNull(e.detail());
    }

    @Test
    void aRefusedCallIsRecordedWithItsProblemSlug() throws Exception {
        String requestId = "record-401-" + System.nanoTime();
        gateway().header("X-Request-Id", requestId).get("/ho-tich/v1/x").then().statusCode(401);
        AuditEvent e = recorded(requestId);
        assertEquals(401, e.status());
        assertEquals("unauthenticated", e.errorType());
        assertEquals("ho-tich", e.serviceCode());
        assertNull(e.consumerSystem());
        assertNull(e.upstreamLatencyMs());

        String notSubscribed = "record-403-" + System.nanoTime();
        gateway().header("Authorization", Tokens.bearer(Tokens.consumer())).header("X-Request-Id", notSubscribed)
                .get("/ho-tich/v2/x").then().statusCode(403);
        AuditEvent f = recorded(notSubscribed);
        assertEquals(403, f.status());
        assertEquals("not-subscribed", f.errorType());
        assertEquals(RoutingTestResource.CONSUMER, f.consumerSystem());
    }

    /**
     * A system moved to another agency: catalog's subscription (and the snapshot) already names the new one, while a
     * token issued before the move still carries the old code in its claim. The record and the provider's assertion
     * name the agency the platform knows now; a call refused before entitlement has only the claim to go by.
     */
    @Test
    void aTokenFromBeforeAnAgencyMoveIsRecordedUnderTheSubscriptionsAgency() throws Exception {
        String stale = TestJwt.system(RoutingTestResource.CONSUMER, "000.00.00.H99", "production");
        String requestId = "record-moved-" + System.nanoTime();
        gateway().header("Authorization", Tokens.bearer(stale)).header("X-Request-Id", requestId)
                .get("/ho-tich/v1/echo").then().statusCode(200);
        assertEquals(RoutingTestResource.CONSUMER_AGENCY, recorded(requestId).consumerAgency());
        String assertion = RoutingTestResource.upstream().received().stream()
                .filter(h -> requestId.equals(h.get("x-request-id"))).findFirst().orElseThrow()
                .get("x-lgsp-gateway-assertion");
        String payload = new String(java.util.Base64.getUrlDecoder().decode(assertion.split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(RoutingTestResource.CONSUMER_AGENCY,
                new io.vertx.core.json.JsonObject(payload).getString("agency"), "the provider is told the new agency");

        String refused = "record-moved-403-" + System.nanoTime();
        gateway().header("Authorization", Tokens.bearer(stale)).header("X-Request-Id", refused)
                .get("/ho-tich/v2/x").then().statusCode(403);
        assertEquals("000.00.00.H99", recorded(refused).consumerAgency());
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
