package vn.lgsp.catalog.version.service;

import com.fasterxml.jackson.databind.JsonNode;
import vn.lgsp.catalog.support.FieldErrors;
import vn.lgsp.catalog.version.domain.UpstreamAuth;
import vn.lgsp.catalog.version.domain.Upstreams;
import vn.lgsp.catalog.version.domain.VersionRequest;
import vn.lgsp.common.access.AccessRules;

/** Rules of a version's configuration that Bean Validation cannot express; checked when saved, not when a call fails. */
final class VersionValidator {


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
        AccessRules.validate(r.accessRules(), "accessRules").forEach(e -> errors.add(e.field(), e.rule(), e.message()));
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

    static void openapi(FieldErrors errors, JsonNode doc) {
        OpenApiDocuments.validate(errors, doc, "/openapi");
    }
}
