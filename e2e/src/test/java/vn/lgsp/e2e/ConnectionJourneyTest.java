package vn.lgsp.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import vn.lgsp.e2e.PlatformClient.Reply;

/**
 * The connection workflow (REQUIREMENTS R3, issue 3) across real services: an agency admin submits a
 * connection request; the operator takes it through review and testing, where registry makes auth issue
 * test credentials that really obtain tokens; both sides confirm the tests; going live issues production
 * credentials that really pass the gateway; suspending the connection makes auth revoke them, and the
 * gateway refuses them within its snapshot delay. Every step lands in audit as an admin action.
 */
class ConnectionJourneyTest {

    static final String AGENCY = "000.00.00.H03";
    static final String PROVIDER_AGENCY = "000.00.00.H04";
    static final String SYSTEM = "HTTT-YTE";
    static final String PROVIDER_SYSTEM = "HTTT-XETNGHIEM";
    static final String SERVICE = "ket-qua-xet-nghiem";

    static Platform platform;
    static PlatformClient client;

    @BeforeAll
    static void start() {
        platform = SharedPlatform.get();
        client = PlatformClient.of(platform);
    }

    @Test
    void fromRequestToProductionAndSuspension() {
        String op = client.login(platform.operatorUsername(), platform.operatorPassword());
        client.post("registry", "/api/v1/agencies", op, DemoData.agency(AGENCY, "Sở Y tế", "SYT")).expect(201);
        client.post("registry", "/api/v1/agencies", op, DemoData.agency(PROVIDER_AGENCY, "Trung tâm Kiểm soát bệnh tật", "CDC")).expect(201);
        client.post("registry", "/api/v1/systems", op, DemoData.system(SYSTEM, "Hệ thống quản lý y tế cơ sở", AGENCY,
                "http://127.0.0.1:9")).expect(201);
        client.post("registry", "/api/v1/systems", op, DemoData.system(PROVIDER_SYSTEM, "Hệ thống xét nghiệm",
                PROVIDER_AGENCY, platform.providerUrl())).expect(201);

        // the provider has published the service the request asks for (registry checks it with catalog)
        Map<String, Object> service = DemoData.service();
        service.put("code", SERVICE);
        service.put("name", "Kết quả xét nghiệm");
        service.put("ownerAgencyCode", PROVIDER_AGENCY);
        service.put("providerSystemCode", PROVIDER_SYSTEM);
        client.post("catalog", "/api/v1/services", op, service).expect(201);
        client.post("catalog", "/api/v1/services/" + SERVICE + "/versions", op, DemoData.version(platform.providerUrl())).expect(201);
        for (String to : List.of("testing", "published")) {
            client.post("catalog", "/api/v1/services/" + SERVICE + "/versions/v1/transitions", op, Map.of("to", to)).expect(200);
        }

        // the agency's own administrator, created by the operator, acts for the agency
        String adminPassword = "mat-khau-rat-dai-" + System.nanoTime();
        client.post("auth", "/api/v1/admin/accounts", op, Map.of("username", "admin-syt", "password", adminPassword,
                "role", "agency-admin", "agencyCode", AGENCY)).expect(201);
        String agencyAdmin = client.login("admin-syt", adminPassword);

        // no contact person yet: the request is refused, naming the rule
        Map<String, Object> request = new java.util.LinkedHashMap<>(Map.of("systemCode", SYSTEM,
                "purpose", "Liên thông kết quả xét nghiệm", "dataScope", "Kết quả xét nghiệm của người bệnh",
                "requestedServices", List.of(SERVICE + ":v1"), "expectedFrequency", "500 lượt/ngày",
                "technicalContactId", "00000000-0000-4000-8000-000000000000"));
        Reply noContact = client.post("registry", "/api/v1/connection-requests", agencyAdmin, request);
        assertEquals(422, noContact.status(), noContact.raw());
        assertTrue(noContact.contentType().startsWith("application/problem+json"));

        String contactId = client.post("registry", "/api/v1/systems/" + SYSTEM + "/contacts", agencyAdmin, Map.of(
                "name", "Trần Thị Bình", "position", "Trưởng phòng CNTT", "phone", "0912345678",
                "email", "cntt@syt.example.vn")).expect(201).json().path("id").asText();
        request.put("technicalContactId", contactId);

        // registry asks catalog whether requested services exist: an unknown one is refused, naming it
        Map<String, Object> unknown = new java.util.LinkedHashMap<>(request);
        unknown.put("requestedServices", List.of("khong-ton-tai:v1"));
        Reply unknownService = client.post("registry", "/api/v1/connection-requests", agencyAdmin, unknown);
        assertEquals(422, unknownService.status(), unknownService.raw());
        assertEquals("requestedServices[0]", unknownService.json().path("errors").path(0).path("field").asText(),
                unknownService.raw());
        String id = client.post("registry", "/api/v1/connection-requests", agencyAdmin, request).expect(201)
                .json().path("id").asText();

        // an agency admin may not approve its own request; an illegal step is a 409
        assertEquals(403, transition(agencyAdmin, id, "approve_for_testing").status());
        assertEquals(409, transition(op, id, "go_live").status());

        transition(op, id, "review").expect(200);
        transition(op, id, "approve_for_testing").expect(200);
        JsonNode testCredential = transition(op, id, "start_testing").expect(200).json().path("credential");
        assertEquals("test", testCredential.path("environment").asText(), "entering testing issues test credentials");
        Reply testToken = client.token(testCredential.path("clientId").asText(), testCredential.path("clientSecret").asText());
        testToken.expect(200);

        transition(op, id, "confirm_test").expect(200);
        JsonNode passed = transition(agencyAdmin, id, "confirm_test").expect(200).json();
        assertEquals("test_passed", passed.path("request").path("status").asText(), "both sides confirmed: " + passed);

        JsonNode prodCredential = transition(op, id, "go_live").expect(200).json().path("credential");
        assertEquals("production", prodCredential.path("environment").asText());
        String clientId = prodCredential.path("clientId").asText();
        String secret = prodCredential.path("clientSecret").asText();
        assertEquals("connected", client.get("registry", "/api/v1/systems/" + SYSTEM, op).expect(200)
                .json().path("status").asText());

        // the new system subscribes to the provider's service; its production token passes the gateway
        Map<String, Object> subscription = DemoData.subscription(SYSTEM);
        subscription.put("serviceCode", SERVICE);
        String subId = client.post("catalog", "/api/v1/subscriptions", agencyAdmin, subscription).expect(201)
                .json().path("id").asText();
        client.post("catalog", "/api/v1/subscriptions/" + subId + "/approve", op, Map.of("reason", "ok")).expect(200);

        String token = client.token(clientId, secret).expect(200).json().path("access_token").asText();
        String path = "/" + SERVICE + "/v1/ket-qua?ma=1";
        Reply ok = FirstJourneyTest.eventually(Duration.ofSeconds(5), () -> client.get("gateway", path, token),
                r -> r.status() == 200);
        assertEquals(200, ok.status(), ok.raw());

        // suspending the connection revokes its credentials at auth; the gateway refuses within its snapshot delay
        transition(op, id, "suspend").expect(200);
        assertEquals("invalid_client", client.token(clientId, secret).json().path("error").asText());
        Reply refused = FirstJourneyTest.eventually(Duration.ofSeconds(2), () -> client.get("gateway", path, token),
                r -> r.status() == 401);
        assertEquals(401, refused.status(), refused.raw());

        // the history and the audit log hold every step, with its actor
        JsonNode history = client.get("registry", "/api/v1/connection-requests/" + id, op).expect(200).json().path("history");
        assertTrue(history.size() >= 8, "every transition is recorded: " + history);
        Reply audit = FirstJourneyTest.eventually(Duration.ofSeconds(3), () -> client.get("audit",
                "/api/v1/events?type=admin_action&limit=500", op), r -> r.raw().contains("connection_request.suspend"));
        List<String> actions = new java.util.ArrayList<>();
        for (JsonNode item : audit.json().path("items")) {
            if (id.equals(item.path("event").path("resourceId").asText())) {
                actions.add(item.path("event").path("action").asText());
            }
        }
        assertTrue(actions.containsAll(List.of("connection_request.submit", "connection_request.go_live",
                "connection_request.suspend")), "admin actions reach audit: " + actions);
        assertFalse(audit.raw().contains(secret), "no secret ever reaches the audit log");
    }

    private static Reply transition(String token, String id, String action) {
        return client.post("registry", "/api/v1/connection-requests/" + id + "/transitions", token,
                Map.of("action", action, "comment", "e2e"));
    }
}
