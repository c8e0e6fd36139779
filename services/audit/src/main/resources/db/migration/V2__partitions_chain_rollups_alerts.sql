-- Issue 5: the log becomes partitioned by month, hash-chained, rolled up, reconcilable and watched.
-- The existing rows are moved, not dropped: the old table is renamed, its rows copied into the partitioned
-- table (same seq, so cursors stay valid), then the old table is dropped, all in this one transaction.
-- Copied rows have no hash yet; the service chains them at start-up before it accepts new events.

ALTER TABLE audit_event RENAME TO audit_event_v1;
ALTER TABLE audit_event_v1 RENAME CONSTRAINT audit_event_event_id_uk TO audit_event_v1_event_id_uk;
ALTER TABLE audit_event_v1 RENAME CONSTRAINT audit_event_pkey TO audit_event_v1_pkey;
ALTER INDEX audit_event_occurred_idx RENAME TO audit_event_v1_occurred_idx;
ALTER INDEX audit_event_consumer_idx RENAME TO audit_event_v1_consumer_idx;
ALTER INDEX audit_event_provider_idx RENAME TO audit_event_v1_provider_idx;
ALTER INDEX audit_event_service_idx RENAME TO audit_event_v1_service_idx;
ALTER INDEX audit_event_request_idx RENAME TO audit_event_v1_request_idx;
ALTER INDEX audit_event_trace_idx RENAME TO audit_event_v1_trace_idx;
-- Keep the arrival sequence: the new table takes it over.
ALTER TABLE audit_event_v1 ALTER COLUMN seq DROP DEFAULT;
ALTER SEQUENCE audit_event_seq_seq OWNED BY NONE;

-- A unique constraint on a partitioned table must contain the partition key: idempotency is by
-- (occurred_at, event_id). A resend carries the same occurredAt (the publisher serialises the same record),
-- so a duplicate lands in the same partition and hits the same key.
CREATE TABLE audit_event (
    seq                 BIGINT       NOT NULL DEFAULT nextval('audit_event_seq_seq'),
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
    mode                VARCHAR(8),
    -- the hash chain: one chain per arrival day (UTC), sequence from 1, hash over content + previous hash
    chain_day           DATE,
    chain_seq           BIGINT,
    hash                CHAR(64),
    CONSTRAINT audit_event_key UNIQUE (occurred_at, event_id)
) PARTITION BY RANGE (occurred_at);
ALTER SEQUENCE audit_event_seq_seq OWNED BY audit_event.seq;

-- Safety net: an event for a month without its partition still lands somewhere. The service creates
-- partitions on demand and ahead of time, and audit_ensure_partition moves rows out of here.
CREATE TABLE audit_event_default PARTITION OF audit_event DEFAULT;

CREATE INDEX audit_event_consumer_idx ON audit_event (consumer_agency, occurred_at);
CREATE INDEX audit_event_provider_idx ON audit_event (provider_agency, occurred_at);
CREATE INDEX audit_event_service_idx ON audit_event (service_code, service_version, occurred_at);
CREATE INDEX audit_event_request_idx ON audit_event (request_id);
CREATE INDEX audit_event_trace_idx ON audit_event (trace_id);
CREATE INDEX audit_event_seq_idx ON audit_event (seq);
CREATE INDEX audit_event_chain_idx ON audit_event (chain_day, chain_seq);
-- Finds rows still to be chained (migrated ones) without scanning two years of partitions at start-up.
CREATE INDEX audit_event_unchained_idx ON audit_event (received_at, seq) WHERE hash IS NULL;

-- Creates the partition of one month (UTC) if missing, moving any rows of that month out of the default
-- partition first (attaching would fail otherwise). Serialised by an advisory lock across instances.
CREATE FUNCTION audit_ensure_partition(p_month DATE) RETURNS BOOLEAN LANGUAGE plpgsql AS $$
DECLARE
    v_start  TIMESTAMP   := date_trunc('month', p_month::timestamp);
    v_from   TIMESTAMPTZ := v_start AT TIME ZONE 'UTC';
    v_to     TIMESTAMPTZ := (v_start + INTERVAL '1 month') AT TIME ZONE 'UTC';
    v_name   TEXT        := 'audit_event_p' || to_char(v_start, 'YYYYMM');
    v_schema TEXT        := current_schema();
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('lgsp-audit-partitions'));
    IF to_regclass(format('%I.%I', v_schema, v_name)) IS NOT NULL THEN
        RETURN FALSE;
    END IF;
    EXECUTE format('CREATE TABLE %I.%I (LIKE %I.audit_event INCLUDING DEFAULTS)', v_schema, v_name, v_schema);
    EXECUTE format('INSERT INTO %I.%I SELECT * FROM %I.audit_event_default WHERE occurred_at >= %L AND occurred_at < %L',
                   v_schema, v_name, v_schema, v_from, v_to);
    EXECUTE format('DELETE FROM %I.audit_event_default WHERE occurred_at >= %L AND occurred_at < %L',
                   v_schema, v_from, v_to);
    EXECUTE format('ALTER TABLE %I.audit_event ATTACH PARTITION %I.%I FOR VALUES FROM (%L) TO (%L)',
                   v_schema, v_schema, v_name, v_from, v_to);
    RETURN TRUE;
END $$;

DO $$
DECLARE m DATE;
BEGIN
    FOR m IN SELECT DISTINCT date_trunc('month', occurred_at AT TIME ZONE 'UTC')::date FROM audit_event_v1 LOOP
        PERFORM audit_ensure_partition(m);
    END LOOP;
    PERFORM audit_ensure_partition((now() AT TIME ZONE 'UTC')::date);
END $$;

INSERT INTO audit_event (seq, event_id, type, occurred_at, received_at, source, request_id, trace_id, consumer_system,
    consumer_agency, provider_system, provider_agency, service_code, service_version, environment, method, path,
    status, latency_ms, upstream_latency_ms, request_bytes, response_bytes, request_sha256, response_sha256,
    client_id, error_type, actor, action, resource_type, resource_id, agency_code, before_summary, after_summary, detail)
SELECT seq, event_id, type, date_trunc('microseconds', occurred_at), date_trunc('microseconds', received_at), source,
    request_id, trace_id, consumer_system, consumer_agency, provider_system, provider_agency, service_code,
    service_version, environment, method, path, status, latency_ms, upstream_latency_ms, request_bytes,
    response_bytes, request_sha256, response_sha256, client_id, error_type, actor, action, resource_type,
    resource_id, agency_code, before_summary, after_summary, detail
FROM audit_event_v1 ORDER BY seq;

DROP TABLE audit_event_v1;

-- The head of the chain: the single row every ingest locks (SELECT ... FOR UPDATE), so concurrent
-- batches, even from several replicas, append one after the other and never fork the chain.
CREATE TABLE audit_chain_head (
    id        SMALLINT PRIMARY KEY CHECK (id = 1),
    chain_day DATE,
    chain_seq BIGINT   NOT NULL DEFAULT 0,
    hash      CHAR(64)
);
INSERT INTO audit_chain_head (id) VALUES (1);

-- Signed daily anchors: the last hash and the count of a closed day, signed with the anchor key.
CREATE TABLE audit_anchor (
    chain_day    DATE         PRIMARY KEY,
    record_count BIGINT       NOT NULL,
    last_hash    CHAR(64)     NOT NULL,
    key_id       VARCHAR(64)  NOT NULL,
    algorithm    VARCHAR(32)  NOT NULL,
    signature    TEXT         NOT NULL,
    signed_at    TIMESTAMPTZ  NOT NULL
);
-- Every public key that ever signed an anchor, so anchors stay verifiable after a key rotation.
CREATE TABLE audit_anchor_key (
    key_id         VARCHAR(64)  PRIMARY KEY,
    algorithm      VARCHAR(32)  NOT NULL,
    public_key_pem TEXT         NOT NULL,
    first_used     TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- When retention drops a month, rows of it that were chained into a day still kept (late arrivals) leave their
-- chain position and hash here, so that day's chain still verifies instead of showing a gap.
CREATE TABLE audit_chain_expired (
    chain_day DATE     NOT NULL,
    chain_seq BIGINT   NOT NULL,
    hash      CHAR(64) NOT NULL,
    event_id  UUID     NOT NULL,
    PRIMARY KEY (chain_day, chain_seq)
);

-- Legal holds: partitions overlapping an active hold are never dropped by retention.
CREATE TABLE audit_legal_hold (
    id          UUID         PRIMARY KEY,
    hold_from   TIMESTAMPTZ  NOT NULL,
    hold_to     TIMESTAMPTZ  NOT NULL,
    reason      VARCHAR(512) NOT NULL,
    created_by  VARCHAR(128) NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL,
    released_at TIMESTAMPTZ,
    released_by VARCHAR(128),
    CHECK (hold_from < hold_to)
);

-- Daily rollups of transactions, maintained at ingest (INSERT ... ON CONFLICT DO UPDATE); '' stands for
-- "not given" so the key can be a primary key. latency_hist counts per fixed bucket (see LatencyHistogram).
CREATE TABLE audit_stat_daily (
    day             DATE        NOT NULL,
    consumer_agency VARCHAR(16) NOT NULL,
    consumer_system VARCHAR(64) NOT NULL,
    provider_agency VARCHAR(16) NOT NULL,
    provider_system VARCHAR(64) NOT NULL,
    service_code    VARCHAR(64) NOT NULL,
    service_version VARCHAR(8)  NOT NULL,
    mode            VARCHAR(8)  NOT NULL,
    calls           BIGINT      NOT NULL,
    errors_4xx      BIGINT      NOT NULL,
    errors_5xx      BIGINT      NOT NULL,
    request_bytes   BIGINT      NOT NULL,
    response_bytes  BIGINT      NOT NULL,
    latency_sum     BIGINT      NOT NULL,
    latency_max     BIGINT      NOT NULL,
    latency_hist    BIGINT[]    NOT NULL,
    PRIMARY KEY (day, consumer_agency, consumer_system, provider_agency, provider_system, service_code, service_version, mode)
);
CREATE INDEX audit_stat_daily_consumer_idx ON audit_stat_daily (consumer_agency, day);
CREATE INDEX audit_stat_daily_provider_idx ON audit_stat_daily (provider_agency, day);

CREATE TABLE audit_stat_error_daily (
    day             DATE         NOT NULL,
    consumer_agency VARCHAR(16)  NOT NULL,
    consumer_system VARCHAR(64)  NOT NULL,
    provider_agency VARCHAR(16)  NOT NULL,
    provider_system VARCHAR(64)  NOT NULL,
    service_code    VARCHAR(64)  NOT NULL,
    service_version VARCHAR(8)   NOT NULL,
    mode            VARCHAR(8)   NOT NULL,
    error_type      VARCHAR(128) NOT NULL,
    calls           BIGINT       NOT NULL,
    PRIMARY KEY (day, consumer_agency, consumer_system, provider_agency, provider_system, service_code, service_version, mode, error_type)
);

-- Per-minute counters for alert windows (kept 2 days): alert evaluation never reads raw rows.
CREATE TABLE audit_stat_minute (
    minute          TIMESTAMPTZ NOT NULL,
    provider_agency VARCHAR(16) NOT NULL,
    provider_system VARCHAR(64) NOT NULL,
    service_code    VARCHAR(64) NOT NULL,
    service_version VARCHAR(8)  NOT NULL,
    calls           BIGINT      NOT NULL,
    errors_5xx      BIGINT      NOT NULL,
    async_failed    BIGINT      NOT NULL,
    PRIMARY KEY (minute, provider_agency, provider_system, service_code, service_version)
);

-- Latest reachability per upstream, from routing's alert events (upstream-unreachable / upstream-recovered).
CREATE TABLE audit_provider_health (
    provider_system VARCHAR(64)   NOT NULL,
    provider_agency VARCHAR(16)   NOT NULL,
    service_code    VARCHAR(64)   NOT NULL,
    service_version VARCHAR(8)    NOT NULL,
    environment     VARCHAR(16)   NOT NULL,
    unreachable     BOOLEAN       NOT NULL,
    since           TIMESTAMPTZ   NOT NULL,
    detail          VARCHAR(1024),
    PRIMARY KEY (provider_system, provider_agency, service_code, service_version, environment)
);

CREATE TABLE audit_alert_rule (
    id              UUID             PRIMARY KEY,
    name            VARCHAR(64)      NOT NULL UNIQUE,
    kind            VARCHAR(32)      NOT NULL,
    service_code    VARCHAR(64),
    service_version VARCHAR(8),
    provider_agency VARCHAR(16),
    provider_system VARCHAR(64),
    threshold       DOUBLE PRECISION,
    window_minutes  INTEGER          NOT NULL,
    min_calls       INTEGER          NOT NULL,
    webhook_url     VARCHAR(512),
    enabled         BOOLEAN          NOT NULL,
    version         INTEGER          NOT NULL DEFAULT 1,
    created_by      VARCHAR(128)     NOT NULL,
    created_at      TIMESTAMPTZ      NOT NULL,
    updated_at      TIMESTAMPTZ      NOT NULL
);

CREATE TABLE audit_alert (
    id              UUID          PRIMARY KEY,
    rule_id         UUID          REFERENCES audit_alert_rule (id) ON DELETE SET NULL,
    rule_name       VARCHAR(64)   NOT NULL,
    kind            VARCHAR(32)   NOT NULL,
    subject         VARCHAR(256)  NOT NULL,
    agency_code     VARCHAR(16),
    state           VARCHAR(16)   NOT NULL,
    value           DOUBLE PRECISION,
    detail          VARCHAR(1024),
    opened_at       TIMESTAMPTZ   NOT NULL,
    resolved_at     TIMESTAMPTZ,
    acknowledged_at TIMESTAMPTZ,
    acknowledged_by VARCHAR(128)
);
CREATE UNIQUE INDEX audit_alert_open_uk ON audit_alert (rule_name, subject) WHERE state = 'open';
CREATE INDEX audit_alert_opened_idx ON audit_alert (opened_at);
