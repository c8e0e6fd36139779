package vn.lgsp.audit.support;

import static io.restassured.RestAssured.given;

import io.restassured.http.ContentType;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import vn.lgsp.testing.EmbeddedDatabase;
import vn.lgsp.testing.PlatformTestResource;
import vn.lgsp.testing.TestJwt;

/** Test helpers: events as JSON, ingest over HTTP, and SQL straight to the database behind the service's back. */
public final class Fixtures {

    private Fixtures() {
    }

    /** A transaction event as the gateway sends it; {@code extra} adds or overrides fields. */
    public static Map<String, Object> transaction(Instant at, String consumerAgency, String consumerSystem,
            String providerAgency, String providerSystem, String service, int status, long latencyMs) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("eventId", UUID.randomUUID().toString());
        e.put("type", "transaction");
        e.put("occurredAt", at.toString());
        e.put("source", "routing");
        e.put("requestId", "req-" + UUID.randomUUID());
        e.put("consumerSystem", consumerSystem);
        e.put("consumerAgency", consumerAgency);
        e.put("providerSystem", providerSystem);
        e.put("providerAgency", providerAgency);
        e.put("serviceCode", service);
        e.put("serviceVersion", "v1");
        e.put("environment", "production");
        e.put("method", "GET");
        e.put("path", "/" + service + "/v1/x");
        e.put("status", status);
        e.put("latencyMs", latencyMs);
        return e;
    }

    public static Map<String, Object> adminAction(String actor) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("eventId", UUID.randomUUID().toString());
        e.put("type", "admin_action");
        e.put("occurredAt", Instant.now().toString());
        e.put("source", "registry");
        e.put("actor", actor);
        e.put("action", "agency.update");
        e.put("resourceType", "agency");
        e.put("resourceId", "000.00.00.H01");
        e.put("before", Map.of("name", "Sở A", "budget", 1.50, "tags", List.of("x", "y")));
        e.put("after", Map.of("name", "Sở A mới", "budget", 100, "nested", Map.of("b", 1, "a", true)));
        return e;
    }

    /** POSTs a batch as the routing service; returns the response body as a map. */
    public static Map<String, Object> ingest(List<Map<String, Object>> events) {
        return given().auth().oauth2(TestJwt.service("routing")).contentType(ContentType.JSON)
                .body(Map.of("events", events)).post("/api/v1/events/batch")
                .then().statusCode(200).extract().as(Map.class);
    }

    public static Connection jdbc() throws SQLException {
        EmbeddedDatabase db = PlatformTestResource.database();
        return DriverManager.getConnection(db.jdbcUrl(PlatformTestResource.DATABASE) + "?currentSchema=audit", db.user(),
                db.password());
    }

    public static int update(String sql, Object... args) {
        try (Connection c = jdbc(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<Map<String, Object>> query(String sql, Object... args) {
        try (Connection c = jdbc(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            List<Map<String, Object>> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                    }
                    out.add(row);
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof Instant t) {
                ps.setObject(i + 1, t.atOffset(ZoneOffset.UTC));
            } else {
                ps.setObject(i + 1, a);
            }
        }
    }

    /**
     * Moves the service's clock to noon of a chain day nobody has used yet (the day after the head's), so a test
     * that tampers with rows breaks only its own day. Returns that day.
     */
    public static LocalDate freshChainDay(AuditClock clock) {
        Object head = query("SELECT chain_day FROM audit_chain_head WHERE id = 1").get(0).get("chain_day");
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        LocalDate headDay = head == null ? today : ((java.sql.Date) head).toLocalDate();
        LocalDate day = (headDay.isBefore(today) ? today : headDay).plusDays(1);
        moveTo(clock, day.atTime(12, 0).toInstant(ZoneOffset.UTC));
        return day;
    }

    public static void moveTo(AuditClock clock, Instant at) {
        clock.set(Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), at)));
    }
}
