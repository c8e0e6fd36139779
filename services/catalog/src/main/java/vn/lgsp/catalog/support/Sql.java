package vn.lgsp.catalog.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import vn.lgsp.common.db.Timestamps;

/** Small conversions between rows, JSONB and our types. */
public final class Sql {

    private Sql() {
    }

    public static OffsetDateTime utc(Instant i) {
        return Timestamps.utc(i);
    }

    public static Instant instant(Row r, String column) {
        return Timestamps.instant(r, column);
    }

    /** A Jackson value as the PostgreSQL client's JSON parameter. */
    public static Object jsonb(ObjectMapper mapper, Object value) {
        if (value == null) {
            return null;
        }
        JsonNode node = value instanceof JsonNode n ? n : mapper.valueToTree(value);
        return node.isNull() ? null : Json.decodeValue(node.toString());
    }

    public static <T> T read(ObjectMapper mapper, Object jsonb, Class<T> type) {
        if (jsonb == null) {
            return null;
        }
        Object plain = jsonb instanceof JsonObject jo ? jo.getMap() : jsonb instanceof JsonArray ja ? ja.getList() : jsonb;
        return mapper.convertValue(plain, type);
    }

    @SuppressWarnings("unchecked")
    public static List<String> strings(Object jsonb) {
        if (jsonb instanceof JsonArray ja) {
            return (List<String>) (List<?>) ja.getList();
        }
        return List.of();
    }

    /** Escapes LIKE wildcards so a search for "100%" finds that text, not everything. */
    public static String likePattern(String q) {
        return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
