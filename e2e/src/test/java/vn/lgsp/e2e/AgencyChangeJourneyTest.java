package vn.lgsp.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static vn.lgsp.e2e.FirstJourneyTest.eventually;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import vn.lgsp.e2e.PlatformClient.Reply;

/**
 * Agencies are merged and re-coded (REQUIREMENTS R2; the 2025 reorganisation merged departments across the
 * country): the consumer's agency is merged into another and the provider's agency gets a re-issued code. Across
 * real services, auth and catalog follow registry: the consumer's new tokens and its HMAC key name the agency it
 * now belongs to, catalog's subscription and service do too, the gateway's audit records attribute calls to the
 * new agencies, and the provider's agency admin logs in with the new code and still manages its service.
 */
class AgencyChangeJourneyTest {

    static final String CONSUMER_AGENCY = "000.00.00.H31";
    static final String SUCCESSOR_AGENCY = "000.00.00.H32";
    static final String PROVIDER_AGENCY = "000.00.00.H33";
    static final String PROVIDER_REISSUED = "000.00.00.H34";
    static final String CONSUMER_SYSTEM = "HTTT-LDTBXH";
    static final String PROVIDER_SYSTEM = "HTTT-VIECLAM";
    static final String SERVICE = "viec-lam";

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void mergedAndReissuedAgenciesReachTokensKeysCatalogAndTheAuditLog() throws Exception {
        Platform platform = SharedPlatform.get();
        PlatformClient client = PlatformClient.of(platform);
        String op = client.login(platform.operatorUsername(), platform.operatorPassword());
        client.post("registry", "/api/v1/agencies", op, DemoData.agency(CONSUMER_AGENCY, "Sở Lao động - Thương binh và Xã hội", "SLĐTBXH")).expect(201);
        client.post("registry", "/api/v1/agencies", op, DemoData.agency(SUCCESSOR_AGENCY, "Sở Nội vụ", "SNV")).expect(201);
        client.post("registry", "/api/v1/agencies", op, DemoData.agency(PROVIDER_AGENCY, "Trung tâm Dịch vụ việc làm", "TTDVVL")).expect(201);
        client.post("registry", "/api/v1/systems", op, DemoData.system(CONSUMER_SYSTEM, "Hệ thống quản lý lao động",
                CONSUMER_AGENCY, "http://127.0.0.1:9")).expect(201);
        client.post("registry", "/api/v1/systems", op, DemoData.system(PROVIDER_SYSTEM, "Cơ sở dữ liệu việc làm",
                PROVIDER_AGENCY, platform.providerUrl())).expect(201);

        Map<String, Object> service = new LinkedHashMap<>(DemoData.service());
        service.put("code", SERVICE);
        service.put("name", "Thông tin việc làm");
        service.put("ownerAgencyCode", PROVIDER_AGENCY);
        service.put("providerSystemCode", PROVIDER_SYSTEM);
        client.post("catalog", "/api/v1/services", op, service).expect(201);
        client.post("catalog", "/api/v1/services/" + SERVICE + "/versions", op, DemoData.version(platform.providerUrl())).expect(201);
        for (String to : new String[] { "testing", "published" }) {
            client.post("catalog", "/api/v1/services/" + SERVICE + "/versions/v1/transitions", op, Map.of("to", to, "comment", "e2e"))
                    .expect(200);
        }
        Map<String, Object> sub = new LinkedHashMap<>(DemoData.subscription(CONSUMER_SYSTEM));
        sub.put("serviceCode", SERVICE);
        String subscription = client.post("catalog", "/api/v1/subscriptions", op, sub).expect(201).json().path("id").asText();
        client.post("catalog", "/api/v1/subscriptions/" + subscription + "/approve", op, Map.of("reason", "e2e",
                "requestsPerSecond", 1000, "burst", 1000, "dailyQuota", 100_000L)).expect(200);

        JsonNode jwtCred = client.post("auth", "/api/v1/credentials", op, DemoData.credential(CONSUMER_SYSTEM, CONSUMER_AGENCY))
                .expect(201).json();
        JsonNode hmacCred = client.post("auth", "/api/v1/credentials", op, Map.of("systemCode", CONSUMER_SYSTEM,
                "agencyCode", CONSUMER_AGENCY, "environment", DemoData.ENVIRONMENT, "kind", "hmac")).expect(201).json();
        String adminPassword = "mat-khau-rat-dai-" + System.nanoTime();
        client.post("auth", "/api/v1/admin/accounts", op, Map.of("username", "admin-ttdvvl", "password", adminPassword,
                "role", "agency-admin", "agencyCode", PROVIDER_AGENCY)).expect(201);
        client.post("auth", "/api/v1/admin/accounts", op, Map.of("username", "admin-sld", "password", adminPassword,
                "role", "agency-admin", "agencyCode", CONSUMER_AGENCY)).expect(201);
        client.login("admin-sld", adminPassword);

        String path = "/" + SERVICE + "/v1/viec-lam?ma=1";
        String before = token(client, jwtCred);
        assertEquals(CONSUMER_AGENCY, claims(before).path("agency").asText());
        Reply first = eventually(Duration.ofSeconds(5), () -> client.get("gateway", path, before), r -> r.status() == 200);
        assertEquals(200, first.status(), first.raw());
        JsonNode firstRecord = recorded(client, op, first.header("x-request-id"));
        assertEquals(CONSUMER_AGENCY, firstRecord.path("consumerAgency").asText());
        assertEquals(PROVIDER_AGENCY, firstRecord.path("providerAgency").asText());

        // the reorganisation: the consumer's agency merged into the successor, the provider's code re-issued
        client.post("registry", "/api/v1/agencies/" + CONSUMER_AGENCY + "/merge", op, Map.of("intoCode", SUCCESSOR_AGENCY,
                "comment", "Hợp nhất theo Nghị quyết của HĐND tỉnh")).expect(200);
        client.post("registry", "/api/v1/agencies/" + PROVIDER_AGENCY + "/rename", op, Map.of("newName", "Trung tâm Dịch vụ việc làm tỉnh",
                "newCode", PROVIDER_REISSUED, "comment", "Cấp lại mã định danh")).expect(200);

        Reply drained = eventually(Duration.ofSeconds(10), () -> client.get("registry", "/api/v1/agency-sync", op),
                r -> r.status() == 200 && r.json().isArray() && r.json().isEmpty());
        assertEquals("[]", drained.json().toString(), "auth and catalog accepted every change: " + drained.raw());

        // auth: new tokens name the agency the system now belongs to; the agency admin follows the re-issued code
        String after = token(client, jwtCred);
        assertEquals(SUCCESSOR_AGENCY, claims(after).path("agency").asText());
        String admin = client.login("admin-ttdvvl", adminPassword);
        assertEquals(PROVIDER_REISSUED, claims(admin).path("agency").asText());
        // the merged agency no longer exists: its admin cannot log in any more
        Reply endedAdmin = client.post("auth", "/api/v1/admin/login", null, Map.of("username", "admin-sld",
                "password", adminPassword));
        assertEquals(401, endedAdmin.status(), endedAdmin.raw());

        // catalog: the subscription and the service, and the agency admin still manages its service
        assertEquals(SUCCESSOR_AGENCY, client.get("catalog", "/api/v1/subscriptions/" + subscription, op).expect(200)
                .json().path("consumerAgency").asText());
        assertEquals(PROVIDER_REISSUED, client.get("catalog", "/api/v1/services/" + SERVICE, op).expect(200)
                .json().path("ownerAgencyCode").asText());
        String versionPath = "/api/v1/services/" + SERVICE + "/versions/v1";
        String etag = client.get("catalog", versionPath, admin).expect(200).header("ETag");
        Reply edit = client.request("catalog", "PATCH", versionPath,
                Map.of("Authorization", "Bearer " + admin, "Content-Type", "application/json", "If-Match", etag),
                PlatformClient.write(Map.of("timeoutMs", 9000, "reason", "Nhà cung cấp chậm hơn")).getBytes(StandardCharsets.UTF_8));
        assertEquals(200, edit.status(), "the re-coded agency's admin keeps its rights: " + edit.raw());

        // the gateway's records attribute calls to the new agencies, for the JWT caller and the HMAC caller
        Reply jwtCall = eventually(Duration.ofSeconds(5), () -> client.get("gateway", path, after),
                r -> r.status() == 200 && providerAgencyOf(client, op, r).equals(PROVIDER_REISSUED));
        JsonNode jwtRecord = recorded(client, op, jwtCall.header("x-request-id"));
        assertEquals(SUCCESSOR_AGENCY, jwtRecord.path("consumerAgency").asText());
        assertEquals(PROVIDER_REISSUED, jwtRecord.path("providerAgency").asText());

        // a token issued before the merge still carries the old agency in its claim; the gateway records the
        // subscription's agency, which catalog already moved
        Reply staleToken = client.get("gateway", path, before);
        assertEquals(200, staleToken.status(), staleToken.raw());
        assertEquals(SUCCESSOR_AGENCY, recorded(client, op, staleToken.header("x-request-id")).path("consumerAgency").asText());

        String accessKey = hmacCred.path("accessKey").asText();
        String secretKey = hmacCred.path("secretKey").asText();
        Reply signed = eventually(Duration.ofSeconds(5), () -> client.request("gateway", "GET", path,
                Signing.headers(client, accessKey, secretKey, "GET", path, null), null),
                r -> r.status() == 200 && recorded(client, op, r.header("x-request-id")).path("consumerAgency").asText()
                        .equals(SUCCESSOR_AGENCY));
        assertEquals(SUCCESSOR_AGENCY, recorded(client, op, signed.header("x-request-id")).path("consumerAgency").asText(),
                "routing's HMAC keys follow auth's feed");

        // the successor cannot simply be dissolved while the moved system is in use there
        Reply dissolve = client.post("registry", "/api/v1/agencies/" + SUCCESSOR_AGENCY + "/dissolve", op, Map.of("comment", "e2e"));
        assertEquals(409, dissolve.status(), dissolve.raw());
        assertTrue(dissolve.raw().contains(CONSUMER_SYSTEM), dissolve.raw());
    }

    private static String token(PlatformClient client, JsonNode cred) {
        return client.token(cred.path("clientId").asText(), cred.path("clientSecret").asText()).expect(200).json()
                .path("access_token").asText();
    }

    private static JsonNode claims(String jwt) throws java.io.IOException {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }

    private static String providerAgencyOf(PlatformClient client, String op, Reply call) {
        return recorded(client, op, call.header("x-request-id")).path("providerAgency").asText();
    }

    /** The one audit record of a call (the gateway hands it to audit within moments). */
    private static JsonNode recorded(PlatformClient client, String op, String requestId) {
        Reply events = eventually(Duration.ofSeconds(5), () -> client.get("audit", "/api/v1/events?requestId=" + requestId, op),
                r -> r.status() == 200 && r.json().path("items").size() == 1);
        assertEquals(1, events.json().path("items").size(), "one record of " + requestId + ": " + events.raw());
        return events.json().path("items").get(0).path("event");
    }
}
