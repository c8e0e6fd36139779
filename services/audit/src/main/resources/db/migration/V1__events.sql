-- The audit log: one row per transaction, admin action, authentication failure or alert.
-- Never holds payloads (REQUIREMENTS X3): only who, what, when, how it went, sizes and body hashes.
CREATE TABLE audit_event (
    seq                 BIGSERIAL    PRIMARY KEY,
    event_id            UUID         NOT NULL,
    type                VARCHAR(32)  NOT NULL,
    occurred_at         TIMESTAMPTZ  NOT NULL,
    received_at         TIMESTAMPTZ  NOT NULL DEFAULT now(),
    source              VARCHAR(64)  NOT NULL,
    request_id          VARCHAR(64),
    trace_id            VARCHAR(64),
    consumer_system     VARCHAR(64),
    consumer_agency     VARCHAR(16),
    provider_system     VARCHAR(64),
    provider_agency     VARCHAR(16),
    service_code        VARCHAR(64),
    service_version     VARCHAR(8),
    environment         VARCHAR(16),
    method              VARCHAR(16),
    path                VARCHAR(512),
    status              INTEGER,
    latency_ms          BIGINT,
    upstream_latency_ms BIGINT,
    request_bytes       BIGINT,
    response_bytes      BIGINT,
    request_sha256      CHAR(64),
    response_sha256     CHAR(64),
    client_id           VARCHAR(128),
    error_type          VARCHAR(128),
    actor               VARCHAR(128),
    action              VARCHAR(64),
    resource_type       VARCHAR(64),
    resource_id         VARCHAR(128),
    agency_code         VARCHAR(16),
    before_summary      JSONB,
    after_summary       JSONB,
    detail              VARCHAR(1024),
    CONSTRAINT audit_event_event_id_uk UNIQUE (event_id)
);

CREATE INDEX audit_event_occurred_idx ON audit_event (occurred_at);
CREATE INDEX audit_event_consumer_idx ON audit_event (consumer_agency, occurred_at);
CREATE INDEX audit_event_provider_idx ON audit_event (provider_agency, occurred_at);
CREATE INDEX audit_event_service_idx ON audit_event (service_code, service_version, occurred_at);
CREATE INDEX audit_event_request_idx ON audit_event (request_id);
CREATE INDEX audit_event_trace_idx ON audit_event (trace_id);
