package vn.lgsp.registry;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import vn.lgsp.testing.EmbeddedDatabase;
import vn.lgsp.testing.PlatformTestResource;
import vn.lgsp.testing.TestJwt;

/** Builds the records tests need through the public API, each with fresh codes so tests never collide. */
public final class Fixtures {

    private static final AtomicInteger SEQ = new AtomicInteger(ThreadLocalRandom.current().nextInt(1000) * 1000);

    private Fixtures() {
    }

    /** A fresh, well-formed agency code. */
    public static String agencyCode() {
        int n = SEQ.incrementAndGet();
        return String.format("%03d.%02d.%02d.T%02d", (n / 1_000_000) % 1000, (n / 10_000) % 100, (n / 100) % 100, n % 100);
    }

    public static String systemCode() {
        return "HTTT-" + SEQ.incrementAndGet();
    }

    public static String agency(String name, String parentCode) {
        String code = agencyCode();
        String parent = parentCode == null ? "" : ",\"parentCode\":\"" + parentCode + "\"";
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"code\":\"" + code + "\",\"name\":\"" + name + "\",\"level\":\"department\"" + parent + "}")
                .post("/api/v1/agencies").then().statusCode(201);
        return code;
    }

    public static String system(String agencyCode, boolean mandatory) {
        String code = systemCode();
        given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("""
                        {"code":"%s","name":"Hệ thống một cửa %s","agencyCode":"%s","purpose":"Giải quyết TTHC",
                         "baseUrls":{"test":"https://test.example.vn"},"allowedSourceIps":["10.0.0.0/8"],"securityLevel":3,
                         "mandatoryConnection":%s}""".formatted(code, code, agencyCode, mandatory))
                .post("/api/v1/systems").then().statusCode(201);
        return code;
    }

    public static String contact(String systemCode) {
        return given().auth().oauth2(TestJwt.operator()).contentType(ContentType.JSON)
                .body("{\"name\":\"Nguyễn Văn An\",\"position\":\"Trưởng phòng\",\"phone\":\"0912345678\",\"email\":\"an@example.vn\"}")
                .post("/api/v1/systems/" + systemCode + "/contacts").then().statusCode(201).extract().path("id");
    }

    public static String request(String systemCode, String contactId, String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("""
                        {"systemCode":"%s","purpose":"Tra cứu dân cư","dataScope":"Họ tên, ngày sinh",
                         "requestedServices":["dan-cu:v1"],"expectedFrequency":"1000/ngày","technicalContactId":"%s"}"""
                        .formatted(systemCode, contactId))
                .post("/api/v1/connection-requests").then().statusCode(201).extract().path("id");
    }

    public static ValidatableResponse act(String requestId, String action, String token) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body("{\"action\":\"" + action + "\",\"comment\":\"bước " + action + "\"}")
                .post("/api/v1/connection-requests/" + requestId + "/transitions").then();
    }

    /** Puts a request straight into a state, so every (state, action) pair can be tried without walking there. */
    public static void forceState(String requestId, String status, String suspendedFrom) {
        EmbeddedDatabase db = PlatformTestResource.database();
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(PlatformTestResource.DATABASE), db.user(), db.password());
                PreparedStatement st = c.prepareStatement(
                        "UPDATE registry.connection_request SET status = ?, suspended_from = ? WHERE id = ?::uuid")) {
            st.setString(1, status);
            st.setString(2, suspendedFrom);
            st.setString(3, requestId);
            if (st.executeUpdate() != 1) {
                throw new IllegalStateException("no request " + requestId);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
