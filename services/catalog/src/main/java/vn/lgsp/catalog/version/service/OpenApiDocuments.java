package vn.lgsp.catalog.version.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.openapi.api.OpenApiConfig;
import io.smallrye.openapi.runtime.io.Format;
import io.smallrye.openapi.runtime.io.OpenApiParser;
import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.ConfigProvider;
import vn.lgsp.catalog.support.FieldErrors;

/**
 * Validates an uploaded OpenAPI 3.0/3.1 document so a broken one is refused on upload, not discovered by a
 * consumer. Each error names the JSON pointer (RFC 6901) of the offending member within the request body, e.g.
 * {@code /openapi/info/title}: dotted names cannot address path keys such as {@code /citizens/{id}}.
 * <p>
 * Checks: the document shape and required members (openapi 3.0.x/3.1.x, info.title, info.version, paths),
 * path keys and path items, operation objects (responses in 3.0), unique operationIds, and that every
 * {@code $ref} points inside the document to something that exists (external references are refused: upload a
 * bundled document). Finally SmallRye's OpenAPI reader must be able to read it into its model.
 */
final class OpenApiDocuments {

    private static final Pattern OPENAPI_VERSION = Pattern.compile("^3\\.(0|1)\\.[0-9]+$");
    private static final Pattern OPERATIONS = Pattern.compile("^(get|put|post|delete|options|head|patch|trace)$");
    private static final Pattern PATH_ITEM_OTHER = Pattern.compile("^(parameters|summary|description|servers|\\$ref|x-.*)$");
    private static final int MAX_ERRORS = 50;

    private OpenApiDocuments() {
    }

    /** Adds one error per problem found; {@code base} is the pointer of the document in the body ("" or "/openapi"). */
    static void validate(FieldErrors errors, JsonNode doc, String base) {
        int before = errors.size();
        if (doc == null || !doc.isObject()) {
            errors.add(at(base, ""), "openapiDocument", "must be an OpenAPI 3.0 or 3.1 document (a JSON or YAML object)");
            return;
        }
        if (doc.has("swagger")) {
            errors.add(at(base, "/swagger"), "openapi3", "Swagger 2.0 documents are not accepted; convert to OpenAPI 3.0 or 3.1");
        }
        JsonNode version = doc.get("openapi");
        boolean v30 = version != null && version.isTextual() && version.asText().startsWith("3.0.");
        if (version == null || !version.isTextual() || !OPENAPI_VERSION.matcher(version.asText()).matches()) {
            errors.add(at(base, "/openapi"), "openapiVersion", "must be a string 3.0.x or 3.1.x, e.g. \"3.0.3\" or \"3.1.0\"");
        }
        JsonNode info = doc.get("info");
        if (info == null || !info.isObject()) {
            errors.add(at(base, "/info"), "required", "must be an object with title and version");
        } else {
            requireText(errors, info, "title", at(base, "/info/title"));
            requireText(errors, info, "version", at(base, "/info/version"));
        }
        JsonNode paths = doc.get("paths");
        if (paths == null || !paths.isObject()) {
            errors.add(at(base, "/paths"), "required", "must be an object of path items (may be empty)");
        } else {
            paths(errors, paths, base + "/paths", v30);
        }
        refs(errors, doc, doc, base, "");
        if (errors.size() == before) {
            readable(errors, doc, base);
        }
    }

    private static void paths(FieldErrors errors, JsonNode paths, String pointer, boolean v30) {
        Map<String, String> operationIds = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> entries = paths.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> e = entries.next();
            String path = e.getKey();
            String here = pointer + "/" + escape(path);
            if (path.startsWith("x-")) {
                continue;
            }
            if (!path.startsWith("/")) {
                errors.add(here, "pathTemplate", "path '" + path + "' must start with '/'");
                continue;
            }
            if (!balancedTemplate(path)) {
                errors.add(here, "pathTemplate", "path '" + path + "' has unbalanced or empty '{…}' parameters");
            }
            JsonNode item = e.getValue();
            if (!item.isObject()) {
                errors.add(here, "pathItem", "must be a path item object");
                continue;
            }
            Iterator<Map.Entry<String, JsonNode>> keys = item.fields();
            while (keys.hasNext()) {
                Map.Entry<String, JsonNode> k = keys.next();
                String key = k.getKey();
                String at = here + "/" + escape(key);
                if (OPERATIONS.matcher(key).matches()) {
                    operation(errors, k.getValue(), at, v30, operationIds);
                } else if (!PATH_ITEM_OTHER.matcher(key).matches()) {
                    errors.add(at, "pathItem", "'" + key + "' is not a member of a path item");
                }
            }
        }
    }

    private static void operation(FieldErrors errors, JsonNode op, String at, boolean v30, Map<String, String> ids) {
        if (!op.isObject()) {
            errors.add(at, "operation", "must be an operation object");
            return;
        }
        JsonNode responses = op.get("responses");
        if (responses == null && v30) {
            errors.add(at + "/responses", "required", "OpenAPI 3.0 operations must list their responses");
        } else if (responses != null && (!responses.isObject() || (v30 && responses.isEmpty()))) {
            errors.add(at + "/responses", "responses", "must be an object with at least one response");
        }
        JsonNode id = op.get("operationId");
        if (id != null && id.isTextual()) {
            String first = ids.putIfAbsent(id.asText(), at);
            if (first != null) {
                errors.add(at + "/operationId", "uniqueOperationId", "operationId '" + id.asText() + "' is already used at " + first);
            }
        }
    }

    /** Every string {@code $ref} must point to an existing member of this document. */
    private static void refs(FieldErrors errors, JsonNode root, JsonNode node, String base, String pointer) {
        if (errors.size() >= MAX_ERRORS) {
            return;
        }
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> e = fields.next();
                String here = pointer + "/" + escape(e.getKey());
                if ("$ref".equals(e.getKey()) && e.getValue().isTextual()) {
                    ref(errors, root, e.getValue().asText(), at(base, here));
                } else {
                    refs(errors, root, e.getValue(), base, here);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                refs(errors, root, node.get(i), base, pointer + "/" + i);
            }
        }
    }

    private static void ref(FieldErrors errors, JsonNode root, String ref, String at) {
        if (!ref.startsWith("#")) {
            errors.add(at, "externalRef", "'" + ref + "' points outside the document; upload a bundled document");
            return;
        }
        String fragment = URLDecoder.decode(ref.substring(1).replace("+", "%2B"), StandardCharsets.UTF_8);
        if (!fragment.isEmpty() && !fragment.startsWith("/")) {
            errors.add(at, "danglingRef", "'" + ref + "' is not a JSON pointer (#/components/…)");
            return;
        }
        if (root.at(fragment).isMissingNode()) {
            errors.add(at, "danglingRef", "'" + ref + "' points to nothing in this document");
        }
    }

    /** The last gate: SmallRye's reader (the one behind our own /q/openapi) must read it into its model. */
    private static void readable(FieldErrors errors, JsonNode doc, String base) {
        try {
            OpenApiParser.parse(new ByteArrayInputStream(doc.toString().getBytes(StandardCharsets.UTF_8)), Format.JSON,
                    OpenApiConfig.fromConfig(ConfigProvider.getConfig()));
        } catch (RuntimeException e) {
            errors.add(at(base, ""), "unparseable", "an OpenAPI reader could not read this document");
        }
    }

    private static void requireText(FieldErrors errors, JsonNode parent, String name, String at) {
        JsonNode v = parent.get(name);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            errors.add(at, "required", "must be a non-empty string");
        }
    }

    private static boolean balancedTemplate(String path) {
        int depth = 0;
        int start = -1;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '{') {
                if (depth++ > 0) {
                    return false;
                }
                start = i;
            } else if (c == '}') {
                if (--depth < 0 || i == start + 1) {
                    return false;
                }
            }
        }
        return depth == 0;
    }

    static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static String at(String base, String pointer) {
        String p = base + pointer;
        return p.isEmpty() ? "/" : p;
    }
}
