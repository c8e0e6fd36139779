package vn.lgsp.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo world, created through the public APIs exactly as an operator and two agencies would:
 * two agencies, a consumer and a provider system, one published service whose upstream is the stub
 * provider, an approved subscription, and issued credentials. The first journey test walks the same
 * steps and checks each answer; {@code ./lgsp up} loads it for people to try.
 */
public final class DemoData {

    public static final String CONSUMER_AGENCY = "000.00.00.H01";
    public static final String PROVIDER_AGENCY = "000.00.00.H02";
    public static final String CONSUMER_SYSTEM = "HTTT-MOTCUA";
    public static final String PROVIDER_SYSTEM = "HTTT-HOTICH";
    public static final String SERVICE = "ho-tich";
    public static final String VERSION = "v1";
    public static final String ENVIRONMENT = "production";

    private DemoData() {
    }

    /** What the demo world consists of, including the consumer's one-time secret. */
    public record World(String operatorToken, String subscriptionId, String clientId, String clientSecret) {
    }

    public static World create(PlatformClient c, String operatorUser, String operatorPassword, String providerUrl) {
        String op = c.login(operatorUser, operatorPassword);

        c.post("registry", "/api/v1/agencies", op, agency(CONSUMER_AGENCY, "Văn phòng Ủy ban nhân dân tỉnh", "VP UBND")).expect(201);
        c.post("registry", "/api/v1/agencies", op, agency(PROVIDER_AGENCY, "Sở Tư pháp", "STP")).expect(201);
        c.post("registry", "/api/v1/systems", op, system(CONSUMER_SYSTEM, "Hệ thống thông tin giải quyết thủ tục hành chính",
                CONSUMER_AGENCY, "http://127.0.0.1:9")).expect(201);
        c.post("registry", "/api/v1/systems", op, system(PROVIDER_SYSTEM, "Cơ sở dữ liệu hộ tịch điện tử",
                PROVIDER_AGENCY, providerUrl)).expect(201);

        c.post("catalog", "/api/v1/services", op, service()).expect(201);
        c.post("catalog", "/api/v1/services/" + SERVICE + "/versions", op, version(providerUrl)).expect(201);
        for (String to : List.of("testing", "published")) {
            c.post("catalog", "/api/v1/services/" + SERVICE + "/versions/" + VERSION + "/transitions", op,
                    Map.of("to", to, "comment", "demo")).expect(200);
        }

        JsonNode sub = c.post("catalog", "/api/v1/subscriptions", op, subscription(CONSUMER_SYSTEM)).expect(201).json();
        String subscriptionId = sub.path("id").asText();
        c.post("catalog", "/api/v1/subscriptions/" + subscriptionId + "/approve", op,
                Map.of("reason", "demo", "requestsPerSecond", 100_000, "burst", 200_000, "dailyQuota", 1_000_000_000L)).expect(200);

        JsonNode cred = c.post("auth", "/api/v1/credentials", op, credential(CONSUMER_SYSTEM, CONSUMER_AGENCY)).expect(201).json();
        return new World(op, subscriptionId, cred.path("clientId").asText(), cred.path("clientSecret").asText());
    }

    public static Map<String, Object> agency(String code, String name, String shortName) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", code);
        m.put("name", name);
        m.put("shortName", shortName);
        m.put("level", "department");
        return m;
    }

    public static Map<String, Object> system(String code, String name, String agencyCode, String productionUrl) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", code);
        m.put("name", name);
        m.put("agencyCode", agencyCode);
        m.put("description", name);
        m.put("purpose", "Chia sẻ dữ liệu qua LGSP");
        m.put("baseUrls", Map.of("test", productionUrl, "production", productionUrl));
        m.put("securityLevel", 3);
        return m;
    }

    public static Map<String, Object> service() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", SERVICE);
        m.put("name", "Tra cứu thông tin hộ tịch");
        m.put("description", "Tra cứu khai sinh, kết hôn, khai tử");
        m.put("ownerAgencyCode", PROVIDER_AGENCY);
        m.put("providerSystemCode", PROVIDER_SYSTEM);
        m.put("category", "tu-phap");
        m.put("dataClass", "shared");
        m.put("personalData", true);
        m.put("sharingScope", "Các cơ quan nhà nước trong tỉnh");
        m.put("sharingMethod", "api");
        m.put("updateFrequency", "real-time");
        m.put("formats", List.of("json"));
        m.put("standards", List.of("QCVN 109:2017/BTTTT"));
        m.put("contact", Map.of("name", "Nguyễn Văn An", "position", "Chuyên viên CNTT", "phone", "0296 3852 000",
                "email", "cntt@stp.example.vn"));
        return m;
    }

    public static Map<String, Object> version(String upstream) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", VERSION);
        m.put("upstreams", Map.of("test", upstream, "production", upstream));
        m.put("timeoutMs", 5000);
        // Sized from the provider's latency (Little's law): the demo provider is a local stub answering in well under
        // a millisecond, so 32 connections carry tens of thousands of calls a second; one taking a second per
        // answer would need about as many connections as calls per second. The stub handles HTTP/1.1 pipelining (as
        // a conforming server must) and answers every call alike, so its GETs go 8 at a time on half of those
        // connections (catalog's pipelining; the other half carry the other methods one at a time).
        m.put("maxConnections", 64);
        m.put("pipelining", 8);
        m.put("rateLimit", Map.of("requestsPerSecond", 1000, "burst", 2000, "dailyQuota", 10_000_000));
        return m;
    }

    public static Map<String, Object> subscription(String consumerSystem) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("serviceCode", SERVICE);
        m.put("version", VERSION);
        m.put("consumerSystemCode", consumerSystem);
        m.put("environment", ENVIRONMENT);
        m.put("purpose", "Giải quyết thủ tục hành chính liên thông");
        m.put("expectedFrequency", "1000 lượt/ngày");
        // Periods of use are dated in the province's calendar, whatever this machine's time zone.
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneId.of("Asia/Ho_Chi_Minh"));
        m.put("periodStart", today.toString());
        m.put("periodEnd", today.plusYears(1).toString());
        return m;
    }

    public static Map<String, Object> credential(String systemCode, String agencyCode) {
        return Map.of("systemCode", systemCode, "agencyCode", agencyCode, "environment", ENVIRONMENT,
                "kind", "client_secret");
    }
}
