package vn.lgsp.audit.integrity;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import vn.lgsp.audit.integrity.service.AnchorSigner;
import vn.lgsp.audit.integrity.service.ChainCheck;
import vn.lgsp.audit.integrity.service.ChainHash;
import vn.lgsp.audit.integrity.service.ChainRows;
import vn.lgsp.audit.integrity.service.IntegrityService.Break;
import vn.lgsp.common.audit.AuditEvent;

/**
 * The offline verifier: checks the chain and anchors straight from the database over JDBC, without the service,
 * e.g. from an auditor's laptop against a replica or a restored backup. With {@code --public-key} only anchors signed
 * by that (pinned) key are accepted, so a key swapped in the database does not fool it.
 * <pre>
 * PGPASSWORD=… java -cp 'services/audit/target/quarkus-app/app/*:services/audit/target/quarkus-app/lib/main/*' \
 *   vn.lgsp.audit.integrity.ChainVerifierMain --jdbc 'jdbc:postgresql://host:5432/lgsp?currentSchema=audit' \
 *   --user auditor --from 2026-11-01 --to 2026-11-23 [--public-key anchor-key.pem]
 * </pre>
 * Exit status 0: intact; 1: a broken link (printed); 2: usage or connection error.
 */
public final class ChainVerifierMain {

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private ChainVerifierMain() {
    }

    public static void main(String[] args) {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        if (!a.containsKey("jdbc") || !a.containsKey("from")) {
            System.err.println("usage: ChainVerifierMain --jdbc URL [--user U] --from YYYY-MM-DD [--to YYYY-MM-DD] "
                    + "[--public-key PEM]   (password from PGPASSWORD)");
            System.exit(2);
        }
        try (Connection c = DriverManager.getConnection(a.get("jdbc"), a.getOrDefault("user", "postgres"),
                System.getenv().getOrDefault("PGPASSWORD", ""))) {
            LocalDate from = LocalDate.parse(a.get("from"));
            LocalDate to = LocalDate.parse(a.getOrDefault("to", a.get("from")));
            String pinned = a.containsKey("public-key") ? Files.readString(Path.of(a.get("public-key"))) : null;
            Break b = verify(c, from, to, pinned, System.out);
            System.exit(b == null ? 0 : 1);
        } catch (Exception e) {
            System.err.println("verification could not run: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Verifies [from, to]; prints one line per day; returns the first break or null. */
    public static Break verify(Connection c, LocalDate from, LocalDate to, String pinnedPem, PrintStream out)
            throws SQLException {
        Map<String, PublicKey> keys = new HashMap<>();
        if (pinnedPem != null) {
            for (String alg : new String[] { "Ed25519", "SHA256withECDSA" }) {
                PublicKey k = AnchorSigner.parsePublicKey(alg, pinnedPem);
                if (k != null) {
                    keys.put(ChainHash.sha256Hex(Base64.getEncoder().encodeToString(k.getEncoded())).substring(0, 16), k);
                    break;
                }
            }
        } else {
            try (PreparedStatement ps = c.prepareStatement("SELECT key_id, algorithm, public_key_pem FROM audit_anchor_key");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.put(rs.getString(1), AnchorSigner.parsePublicKey(rs.getString(2), rs.getString(3)));
                }
            }
        }
        LocalDate headDay = null;
        long headSeq = 0;
        String headHash = null;
        try (PreparedStatement ps = c.prepareStatement("SELECT chain_day, chain_seq, hash FROM audit_chain_head");
                ResultSet rs = ps.executeQuery()) {
            if (rs.next()) {
                headDay = rs.getObject(1, LocalDate.class);
                headSeq = rs.getLong(2);
                headHash = rs.getString(3);
            }
        }
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            Map<Long, String> expired = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT chain_seq, hash FROM audit_chain_expired WHERE chain_day = ?")) {
                ps.setObject(1, day);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        expired.put(rs.getLong(1), rs.getString(2));
                    }
                }
            }
            ChainCheck check = new ChainCheck(day, expired);
            try (PreparedStatement ps = c.prepareStatement("SELECT " + ChainRows.COLUMNS
                    + " FROM audit_event WHERE chain_day = ? ORDER BY chain_seq")) {
                ps.setFetchSize(2000);
                ps.setObject(1, day);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next() && check.accept(new ChainCheck.Link(rs.getLong("chain_seq"), rs.getString("hash"),
                            instant(rs, "received_at"), event(rs)))) {
                        // keep going while intact
                    }
                }
            }
            ChainCheck.AnchorRow anchor = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT * FROM audit_anchor WHERE chain_day = ?")) {
                ps.setObject(1, day);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        anchor = new ChainCheck.AnchorRow(rs.getLong("record_count"), rs.getString("last_hash"),
                                rs.getString("key_id"), rs.getString("algorithm"), rs.getString("signature"));
                    }
                }
            }
            Break b = check.finish(anchor, keys, headDay, headSeq, headHash);
            out.printf("%s  %d records  %s  %s%n", day, check.records(), anchor == null ? "no anchor" : "anchored",
                    b == null ? "OK" : "BROKEN: " + b);
            if (b != null) {
                return b;
            }
        }
        return null;
    }

    private static AuditEvent event(ResultSet r) throws SQLException {
        return new AuditEvent((java.util.UUID) r.getObject("event_id"), r.getString("type"), instant(r, "occurred_at"),
                r.getString("source"), r.getString("request_id"), r.getString("trace_id"), r.getString("consumer_system"),
                r.getString("consumer_agency"), r.getString("provider_system"), r.getString("provider_agency"),
                r.getString("service_code"), r.getString("service_version"), r.getString("environment"),
                r.getString("method"), r.getString("path"), (Integer) r.getObject("status"), (Long) r.getObject("latency_ms"),
                (Long) r.getObject("upstream_latency_ms"), (Long) r.getObject("request_bytes"),
                (Long) r.getObject("response_bytes"), r.getString("request_sha256"), r.getString("response_sha256"),
                r.getString("client_id"), r.getString("error_type"), r.getString("actor"), r.getString("action"),
                r.getString("resource_type"), r.getString("resource_id"), r.getString("agency_code"),
                tree(r.getString("before_text")), tree(r.getString("after_text")), r.getString("detail"), r.getString("mode"));
    }

    private static Instant instant(ResultSet r, String column) throws SQLException {
        OffsetDateTime t = r.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static JsonNode tree(String text) {
        try {
            return text == null ? null : MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("unreadable summary", e);
        }
    }
}
