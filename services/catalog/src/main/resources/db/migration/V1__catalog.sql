-- Data services (REQUIREMENTS C1-C9; An Giang Art. 11.1.a documentation; Lao Cai Art. 7.3 catalog fields).
CREATE TABLE data_service (
    code               VARCHAR(64)   PRIMARY KEY,
    name               VARCHAR(255)  NOT NULL,
    description        TEXT,
    owner_agency       VARCHAR(16)   NOT NULL,
    provider_system    VARCHAR(64)   NOT NULL,
    category           VARCHAR(128),
    data_class         VARCHAR(16)   NOT NULL,
    personal_data      BOOLEAN       NOT NULL,
    sharing_scope      VARCHAR(255),
    sharing_method     VARCHAR(8)    NOT NULL,
    update_frequency   VARCHAR(128),
    formats            JSONB         NOT NULL DEFAULT '[]',
    standards          JSONB         NOT NULL DEFAULT '[]',
    contact            JSONB,
    documentation      JSONB,
    row_version        INTEGER       NOT NULL DEFAULT 1,
    created_at         TIMESTAMPTZ   NOT NULL,
    updated_at         TIMESTAMPTZ   NOT NULL,
    CONSTRAINT data_service_class_ck CHECK (data_class IN ('master', 'domain', 'shared', 'open', 'steering')),
    CONSTRAINT data_service_method_ck CHECK (sharing_method IN ('api', 'sync', 'file'))
);
CREATE INDEX data_service_owner_idx ON data_service (owner_agency);
CREATE INDEX data_service_class_idx ON data_service (data_class);

-- One major version of a service: where it lives upstream, how it is called, and where it is in its lifecycle.
CREATE TABLE service_version (
    service_code        VARCHAR(64)  NOT NULL REFERENCES data_service (code),
    version             VARCHAR(8)   NOT NULL,
    major               INTEGER      NOT NULL,
    status              VARCHAR(16)  NOT NULL,
    upstream_test       VARCHAR(2048),
    upstream_production VARCHAR(2048),
    upstream_auth       JSONB        NOT NULL,
    timeout_ms          INTEGER      NOT NULL,
    request_format      VARCHAR(8)   NOT NULL,
    response_format     VARCHAR(8)   NOT NULL,
    convert_format      BOOLEAN      NOT NULL,
    max_request_bytes   BIGINT       NOT NULL,
    requests_per_second INTEGER      NOT NULL,
    burst               INTEGER      NOT NULL,
    daily_quota         BIGINT       NOT NULL,
    openapi             JSONB,
    created_at          TIMESTAMPTZ  NOT NULL,
    updated_at          TIMESTAMPTZ  NOT NULL,
    published_at        TIMESTAMPTZ,
    deprecated_at       TIMESTAMPTZ,
    sunset_at           TIMESTAMPTZ,
    retirement_notice_at TIMESTAMPTZ,
    retire_at           TIMESTAMPTZ,
    retired_at          TIMESTAMPTZ,
    PRIMARY KEY (service_code, version),
    CONSTRAINT service_version_status_ck CHECK (status IN ('draft', 'testing', 'published', 'deprecated', 'retired')),
    CONSTRAINT service_version_timeout_ck CHECK (timeout_ms BETWEEN 1 AND 30000)
);

-- Who moved a version, when and why (transitions and retirement notices).
CREATE TABLE version_history (
    id            BIGSERIAL    PRIMARY KEY,
    service_code  VARCHAR(64)  NOT NULL,
    version       VARCHAR(8)   NOT NULL,
    action        VARCHAR(24)  NOT NULL,
    from_status   VARCHAR(16),
    to_status     VARCHAR(16),
    actor         VARCHAR(128) NOT NULL,
    occurred_at   TIMESTAMPTZ  NOT NULL,
    comment       VARCHAR(2000),
    sunset_at     TIMESTAMPTZ,
    retire_at     TIMESTAMPTZ,
    FOREIGN KEY (service_code, version) REFERENCES service_version (service_code, version)
);
CREATE INDEX version_history_idx ON version_history (service_code, version, id);

CREATE TABLE subscription (
    id                  UUID          PRIMARY KEY,
    service_code        VARCHAR(64)   NOT NULL,
    version             VARCHAR(8)    NOT NULL,
    consumer_system     VARCHAR(64)   NOT NULL,
    consumer_agency     VARCHAR(16)   NOT NULL,
    environment         VARCHAR(16)   NOT NULL,
    purpose             VARCHAR(2000) NOT NULL,
    expected_frequency  VARCHAR(255)  NOT NULL,
    period_start        DATE          NOT NULL,
    period_end          DATE          NOT NULL,
    webhook_url         VARCHAR(2048),
    status              VARCHAR(16)   NOT NULL,
    requests_per_second INTEGER,
    burst               INTEGER,
    daily_quota         BIGINT,
    reason              VARCHAR(2000),
    carried_over_from   UUID,
    requested_by        VARCHAR(128)  NOT NULL,
    decided_by          VARCHAR(128),
    created_at          TIMESTAMPTZ   NOT NULL,
    updated_at          TIMESTAMPTZ   NOT NULL,
    FOREIGN KEY (service_code, version) REFERENCES service_version (service_code, version),
    CONSTRAINT subscription_status_ck CHECK (status IN ('pending', 'active', 'rejected', 'suspended', 'ended')),
    CONSTRAINT subscription_env_ck CHECK (environment IN ('test', 'production'))
);
-- One open application or subscription per consumer system, service version and environment.
CREATE UNIQUE INDEX subscription_open_uk ON subscription (service_code, version, consumer_system, environment)
    WHERE status IN ('pending', 'active', 'suspended');
CREATE INDEX subscription_consumer_idx ON subscription (consumer_system, environment, status);

-- What each subscriber was told about the versions it uses.
CREATE TABLE notification (
    id              BIGSERIAL     PRIMARY KEY,
    subscription_id UUID          NOT NULL REFERENCES subscription (id),
    consumer_system VARCHAR(64)   NOT NULL,
    consumer_agency VARCHAR(16)   NOT NULL,
    service_code    VARCHAR(64)   NOT NULL,
    version         VARCHAR(8)    NOT NULL,
    event           VARCHAR(32)   NOT NULL,
    from_status     VARCHAR(16),
    to_status       VARCHAR(16),
    sunset_at       TIMESTAMPTZ,
    retire_at       TIMESTAMPTZ,
    comment         VARCHAR(2000),
    created_at      TIMESTAMPTZ   NOT NULL
);
CREATE INDEX notification_consumer_idx ON notification (consumer_system, id);

-- routing's change feed: appended in the same transaction as the change it describes. Writers take a
-- transaction-level advisory lock first, so sequence order is commit order and a reader never skips a gap.
CREATE TABLE change_log (
    seq        BIGSERIAL    PRIMARY KEY,
    kind       VARCHAR(16)  NOT NULL,
    item_key   VARCHAR(160) NOT NULL,
    data       JSONB        NOT NULL,
    changed_at TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT change_log_kind_ck CHECK (kind IN ('route', 'subscription'))
);
