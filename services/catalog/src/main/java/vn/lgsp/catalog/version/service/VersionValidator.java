package vn.lgsp.catalog.version.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.regex.Pattern;
import vn.lgsp.catalog.support.FieldErrors;
import vn.lgsp.catalog.version.domain.UpstreamAuth;
import vn.lgsp.catalog.version.domain.Upstreams;
import vn.lgsp.catalog.version.domain.VersionRequest;

/** Rules of a version's configuration that Bean Validation cannot express; checked when saved, not when a call fails. */
final class VersionValidator {

    private static final Pattern OPENAPI_VERSION = Pattern.compile("^3\\.[0-9]+\\.[0-9]+$");
    private static final Pattern PATH_METHODS = Pattern.compile("^(get|put|post|delete|options|head|patch|trace|parameters|summary|description|servers|\\$ref|x-.*)$");

    private VersionValidator() {
    }

    static void validate(VersionRequest r) {
        FieldErrors errors = new FieldErrors();
        Upstreams u = r.upstreams();
        if (u != null) {
            url(errors, "upstreams.test", u.test());
            url(errors, "upstreams.production", u.production());
        }
        auth(errors, r.upstreamAuth());
        if (r.openapi() != null && !r.openapi().isNull()) {
            openapi(errors, r.openapi());
        }
        errors.throwIfAny();
    }

    private static void url(FieldErrors errors, String field, String value) {
        if (value != null && !FieldErrors.isHttpUrl(value)) {
            errors.add(field, "httpUrl", "must be an absolute http:// or https:// URL with a host, without credentials or fragment");
        }
    }

    private static void auth(FieldErrors errors, UpstreamAuth a) {
        if (a == null) {
            return;
        }
        if (a.type() == null) {
            errors.add("upstreamAuth.type", "required", "must be one of none, static_header, oauth2_client_credentials");
            return;
        }
        switch (a.type()) {
            case STATIC_HEADER -> {
                require(errors, "upstreamAuth.headerName", a.headerName());
                require(errors, "upstreamAuth.secretRef", a.secretRef());
            }
            case OAUTH2_CLIENT_CREDENTIALS -> {
                require(errors, "upstreamAuth.tokenUrl", a.tokenUrl());
                if (a.tokenUrl() != null) {
                    url(errors, "upstreamAuth.tokenUrl", a.tokenUrl());
                }
                require(errors, "upstreamAuth.clientId", a.clientId());
                require(errors, "upstreamAuth.clientSecretRef", a.clientSecretRef());
            }
            case NONE -> {
                if (a.secretRef() != null || a.clientSecretRef() != null) {
                    errors.add("upstreamAuth.type", "consistent", "type none takes no secret references");
                }
            }
        }
    }

    private static void require(FieldErrors errors, String field, String value) {
        if (value == null || value.isBlank()) {
            errors.add(field, "required", "is required for this upstreamAuth.type");
        }
    }

    /** Structural checks of an OpenAPI 3.x document: enough to refuse a wrong file, cheap enough to run on upload. */
    static void openapi(FieldErrors errors, JsonNode doc) {
        if (!doc.isObject()) {
            errors.add("openapi", "openapiDocument", "must be an OpenAPI 3.x document (a JSON object)");
            return;
        }
        if (doc.has("swagger")) {
            errors.add("openapi.swagger", "openapi3", "Swagger 2.0 documents are not accepted; convert to OpenAPI 3.x");
        }
        JsonNode version = doc.get("openapi");
        if (version == null || !version.isTextual() || !OPENAPI_VERSION.matcher(version.asText()).matches()) {
            errors.add("openapi.openapi", "openapiVersion", "must be a string of the form 3.x.y, e.g. \"3.0.3\" or \"3.1.0\"");
        }
        JsonNode info = doc.get("info");
        if (info == null || !info.isObject()) {
            errors.add("openapi.info", "required", "must be an object with title and version");
        } else {
            if (!info.path("title").isTextual() || info.path("title").asText().isBlank()) {
                errors.add("openapi.info.title", "required", "must be a non-empty string");
            }
            if (!info.path("version").isTextual() || info.path("version").asText().isBlank()) {
                errors.add("openapi.info.version", "required", "must be a non-empty string");
            }
        }
        JsonNode paths = doc.get("paths");
        if (paths == null || !paths.isObject()) {
            errors.add("openapi.paths", "required", "must be an object of path items");
            return;
        }
        Iterator<String> names = paths.fieldNames();
        while (names.hasNext()) {
            String path = names.next();
            if (path.startsWith("x-")) {
                continue;
            }
            if (!path.startsWith("/")) {
                errors.add("openapi.paths", "pathTemplate", "path '" + path + "' must start with '/'");
                continue;
            }
            JsonNode item = paths.get(path);
            if (!item.isObject()) {
                errors.add("openapi.paths", "pathItem", "path '" + path + "' must map to an object");
                continue;
            }
            Iterator<String> keys = item.fieldNames();
            while (keys.hasNext()) {
                String key = keys.next();
                if (!PATH_METHODS.matcher(key).matches()) {
                    errors.add("openapi.paths", "pathItem", "path '" + path + "' has unknown key '" + key + "'");
                }
            }
        }
    }
}
