package vn.lgsp.audit.integrity.service;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import vn.lgsp.common.audit.AuditEvent;

/**
 * The canonical content of a record and its chain hash.
 * <p>
 * {@code hash = SHA-256(prevHash + "|" + canonical)}, hex. {@code canonical} is a JSON array, in a fixed order, of
 * the chain position (day, sequence), the arrival time and every stored field; instants as ISO-8601 UTC at
 * microsecond precision, summaries as canonical JSON (keys sorted, numbers without trailing zeros). The first
 * record of a day links to {@code genesis(day)}. Documented in the README so anyone can re-implement it.
 */
public final class ChainHash {

    public static final String VERSION = "lgsp-audit-chain-v1";
    private static final JsonStringEncoder ENC = JsonStringEncoder.getInstance();

    private ChainHash() {
    }

    public static String genesis(LocalDate day) {
        return sha256Hex(VERSION + "|genesis|" + day);
    }

    public static String hash(String prevHash, LocalDate day, long seq, Instant receivedAt, AuditEvent e) {
        return sha256Hex(prevHash + "|" + canonical(day, seq, receivedAt, e));
    }

    public static String canonical(LocalDate day, long seq, Instant receivedAt, AuditEvent e) {
        List<Object> v = new ArrayList<>(40);
        v.add(VERSION);
        v.add(day.toString());
        v.add(seq);
        v.add(str(e.eventId()));
        v.add(e.type());
        v.add(str(e.occurredAt()));
        v.add(str(receivedAt));
        v.add(e.source());
        v.add(e.requestId());
        v.add(e.traceId());
        v.add(e.consumerSystem());
        v.add(e.consumerAgency());
        v.add(e.providerSystem());
        v.add(e.providerAgency());
        v.add(e.serviceCode());
        v.add(e.serviceVersion());
        v.add(e.environment());
        v.add(e.method());
        v.add(e.path());
        v.add(e.status());
        v.add(e.latencyMs());
        v.add(e.upstreamLatencyMs());
        v.add(e.requestBytes());
        v.add(e.responseBytes());
        v.add(e.requestSha256());
        v.add(e.responseSha256());
        v.add(e.clientId());
        v.add(e.errorType());
        v.add(e.actor());
        v.add(e.action());
        v.add(e.resourceType());
        v.add(e.resourceId());
        v.add(e.agencyCode());
        v.add(canonicalJson(e.before()));
        v.add(canonicalJson(e.after()));
        v.add(e.detail());
        v.add(e.mode());
        StringBuilder sb = new StringBuilder(512).append('[');
        for (int i = 0; i < v.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            Object o = v.get(i);
            if (o == null) {
                sb.append("null");
            } else if (o instanceof Number) {
                sb.append(o);
            } else {
                sb.append('"').append(ENC.quoteAsString(o.toString())).append('"');
            }
        }
        return sb.append(']').toString();
    }

    /** Keys sorted, numbers normalised: the same text whether the summary comes from the sender or from jsonb. */
    public static String canonicalJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        write(sb, node);
        return sb.toString();
    }

    private static void write(StringBuilder sb, JsonNode n) {
        if (n.isObject()) {
            List<String> names = new ArrayList<>();
            for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
                names.add(it.next());
            }
            names.sort(null);
            sb.append('{');
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append('"').append(ENC.quoteAsString(names.get(i))).append("\":");
                write(sb, n.get(names.get(i)));
            }
            sb.append('}');
        } else if (n.isArray()) {
            sb.append('[');
            for (int i = 0; i < n.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(sb, n.get(i));
            }
            sb.append(']');
        } else if (n.isNumber()) {
            sb.append(n.decimalValue().stripTrailingZeros().toPlainString());
        } else if (n.isBoolean()) {
            sb.append(n.booleanValue());
        } else if (n.isNull()) {
            sb.append("null");
        } else {
            sb.append('"').append(ENC.quoteAsString(n.asText())).append('"');
        }
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    public static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
