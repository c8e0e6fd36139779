package vn.lgsp.audit.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import vn.lgsp.testing.EmbeddedDatabase;
import vn.lgsp.testing.PlatformTestResource;

/** V2 turns an existing, filled audit_event into the partitioned table without losing or renumbering a row. */
class MigrationTest {

    @Test
    void existingRowsMoveIntoMonthlyPartitionsWithTheirSequence() throws Exception {
        EmbeddedDatabase db = PlatformTestResource.database();
        String schema = "audit_migration_" + System.nanoTime();
        String url = db.jdbcUrl(PlatformTestResource.DATABASE);
        Flyway v1 = Flyway.configure().dataSource(url, db.user(), db.password()).schemas(schema)
                .locations("classpath:db/migration").target("1").load();
        v1.migrate();
        try (Connection c = DriverManager.getConnection(url + "?currentSchema=" + schema, db.user(), db.password());
                Statement st = c.createStatement()) {
            st.execute("""
                    INSERT INTO audit_event (event_id, type, occurred_at, source, status, latency_ms, before_summary)
                    VALUES (gen_random_uuid(), 'transaction', '2026-05-10T08:00:00.1234567Z', 'routing', 200, 12, NULL),
                           (gen_random_uuid(), 'admin_action', '2026-07-01T00:00:00Z', 'registry', NULL, NULL, '{"a": 1}')""");
            long maxSeq = (long) scalar(st, "SELECT max(seq) FROM audit_event");

            Flyway.configure().dataSource(url, db.user(), db.password()).schemas(schema)
                    .locations("classpath:db/migration").load().migrate();

            assertEquals("p", scalar(st, "SELECT relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                    + " WHERE relname = 'audit_event' AND nspname = '" + schema + "'"));
            assertEquals(2L, scalar(st, "SELECT count(*) FROM audit_event"));
            assertEquals(maxSeq, scalar(st, "SELECT max(seq) FROM audit_event"));
            assertEquals("audit_event_p202605", scalar(st,
                    "SELECT tableoid::regclass::text FROM audit_event WHERE type = 'transaction'").toString()
                    .replace(schema + ".", ""));
            assertEquals("audit_event_p202607", scalar(st,
                    "SELECT tableoid::regclass::text FROM audit_event WHERE type = 'admin_action'").toString()
                    .replace(schema + ".", ""));
            assertNull(scalar(st, "SELECT to_regclass('" + schema + ".audit_event_v1')"));
            assertNull(scalar(st, "SELECT max(hash) FROM audit_event"), "chained by the service at start-up");
            // the sequence carries on after the copied rows
            st.execute("INSERT INTO audit_event (event_id, type, occurred_at, source) VALUES (gen_random_uuid(), 'alert', now(), 'routing')");
            assertTrue((long) scalar(st, "SELECT max(seq) FROM audit_event") > maxSeq);
            // the same event again is refused by the (occurred_at, event_id) key
            List<String> errors = new ArrayList<>();
            try {
                st.execute("INSERT INTO audit_event (event_id, type, occurred_at, source) SELECT event_id, type, occurred_at,"
                        + " source FROM audit_event WHERE type = 'transaction'");
            } catch (java.sql.SQLException e) {
                errors.add(e.getSQLState());
            }
            assertEquals(List.of("23505"), errors);
            st.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private static Object scalar(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getObject(1);
        }
    }
}
