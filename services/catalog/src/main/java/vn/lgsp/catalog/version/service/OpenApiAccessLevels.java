package vn.lgsp.catalog.version.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import vn.lgsp.common.access.AccessLevel;
import vn.lgsp.common.access.AccessRule;
import vn.lgsp.common.access.AccessRules;

/**
 * The access level each operation of a version needs (REQUIREMENTS A3), written into its OpenAPI document as
 * {@code x-lgsp-access-level}, so an integrator reading the document sees what its subscription must hold to call
 * an operation. The version's access rules stay the one source: the levels are computed from them (else by method,
 * as routing does) each time the document is read, and any values a provider uploaded are overwritten.
 */
public final class OpenApiAccessLevels {

    public static final String EXTENSION = "x-lgsp-access-level";

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    private OpenApiAccessLevels() {
    }

    /**
     * A copy of {@code openapi} with each operation's level. A path template's parameter ({@code /citizens/{id}}) is
     * matched as one segment, as a rule's {@code *} or {@code {name}} matches any value.
     */
    public static JsonNode annotate(JsonNode openapi, List<AccessRule> rules) {
        if (openapi == null || !openapi.path("paths").isObject()) {
            return openapi;
        }
        AccessRules compiled = AccessRules.compile(rules);
        JsonNode copy = openapi.deepCopy();
        for (Map.Entry<String, JsonNode> path : copy.get("paths").properties()) {
            if (!path.getValue().isObject()) {
                continue;
            }
            for (Map.Entry<String, JsonNode> op : path.getValue().properties()) {
                if (METHODS.contains(op.getKey()) && op.getValue().isObject()) {
                    AccessLevel level = compiled.required(op.getKey().toUpperCase(Locale.ROOT), path.getKey());
                    ((ObjectNode) op.getValue()).put(EXTENSION, level.wire());
                }
            }
        }
        return copy;
    }
}
