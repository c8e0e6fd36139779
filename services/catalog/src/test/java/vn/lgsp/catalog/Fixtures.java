package vn.lgsp.catalog;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;
import vn.lgsp.common.time.ProvinceCalendar;
import vn.lgsp.testing.TestJwt;

/** Builders for the catalog's objects through its own API, each with a unique code. */
public final class Fixtures {

    private Fixtures() {
    }

    public static String uniqueCode(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String serviceJson(String code, String owner, String provider, String dataClass, boolean personal) {
        return """
                {"code":"%s","name":"Tra cứu thông tin công dân","description":"Thông tin cơ bản về công dân",
                 "ownerAgencyCode":"%s","providerSystemCode":"%s","category":"dân cư","dataClass":"%s",
                 "personalData":%s,"sharingScope":"Cơ quan nhà nước trong tỉnh","sharingMethod":"api",
                 "updateFrequency":"hằng ngày","formats":["json"],"standards":["QCVN 109:2017/BTTTT"],
                 "contact":{"name":"Nguyễn Văn A","position":"Chuyên viên","phone":"+84 296 3800 000","email":"a@angiang.gov.vn"},
                 "documentation":{"interfaceAndProtocols":"REST/JSON","security":"OAuth2","capacity":"50 req/s",
                 "connectionProcedure":"Qua LGSP","dataQuality":"Tốt","presentationRules":"UTF-8"}}"""
                .formatted(code, owner, provider, dataClass, personal);
    }

    /** A service owned by the provider agency, created by an operator. */
    public static String service(String dataClass, boolean personal) {
        String code = uniqueCode("svc");
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body(serviceJson(code, RegistryStub.PROVIDER_AGENCY, RegistryStub.PROVIDER_SYSTEM, dataClass, personal))
                .post("/api/v1/services").then().statusCode(201);
        return code;
    }

    public static String versionJson(String version) {
        return """
                {"version":"%s","upstreams":{"test":"http://127.0.0.1:9/test","production":"https://provider.example/api"},
                 "rateLimit":{"requestsPerSecond":5}}""".formatted(version);
    }

    public static void version(String code, String version) {
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON).body(versionJson(version))
                .post("/api/v1/services/" + code + "/versions").then().statusCode(201);
    }

    public static ValidatableResponse transition(String token, String code, String version, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .post("/api/v1/services/" + code + "/versions/" + version + "/transitions").then();
    }

    /** A version moved draft → testing → published. */
    public static void published(String code, String version) {
        version(code, version);
        transition(TestJwt.operator(), code, version, "{\"to\":\"testing\"}").statusCode(200);
        transition(TestJwt.operator(), code, version, "{\"to\":\"published\"}").statusCode(200);
    }

    public static String subscriptionJson(String code, String version, String system, String environment, String webhook) {
        return """
                {"serviceCode":"%s","version":"%s","consumerSystemCode":"%s","environment":"%s",
                 "purpose":"Xác minh nhân thân","expectedFrequency":"2000/ngày","periodStart":"%s","periodEnd":"%s"%s}"""
                .formatted(code, version, system, environment, today(), today().plusYears(1),
                        webhook == null ? "" : ",\"webhookUrl\":\"" + webhook + "\"");
    }

    /** Today in the province's calendar, the one periods of use are dated in. */
    public static LocalDate today() {
        return ProvinceCalendar.dateOf(Instant.now());
    }

    /** A pending subscription applied for by the consumer agency's admin; returns its id. */
    public static String subscribe(String code, String version, String environment, String webhook) {
        return given().auth().oauth2(TestJwt.agencyAdmin(RegistryStub.CONSUMER_AGENCY)).contentType(ContentType.JSON)
                .body(subscriptionJson(code, version, RegistryStub.CONSUMER_SYSTEM, environment, webhook))
                .post("/api/v1/subscriptions").then().statusCode(201).extract().path("id");
    }

    public static ValidatableResponse act(String token, String id, String action, String body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .post("/api/v1/subscriptions/" + id + "/" + action).then();
    }
}
