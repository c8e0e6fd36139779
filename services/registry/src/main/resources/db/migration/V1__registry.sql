-- Agencies: the national electronic identifier code is the public key; the surrogate id survives a
-- re-issued code, so history and aliases stay attached to the same body.
CREATE TABLE agency (
    id              BIGSERIAL    PRIMARY KEY,
    code            VARCHAR(13)  NOT NULL,
    name            VARCHAR(255) NOT NULL,
    short_name      VARCHAR(64),
    -- unaccented lower-case name, short name and code: free-text search with or without diacritics
    search_text     TEXT         NOT NULL,
    parent_code     VARCHAR(13),
    level           VARCHAR(16)  NOT NULL,
    status          VARCHAR(16)  NOT NULL DEFAULT 'active',
    successor_codes VARCHAR(13)[] NOT NULL DEFAULT '{}',
    version         INTEGER      NOT NULL DEFAULT 1,
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT agency_code_uk UNIQUE (code),
    CONSTRAINT agency_status_ck CHECK (status IN ('active', 'merged', 'split', 'dissolved')),
    CONSTRAINT agency_level_ck CHECK (level IN ('province', 'department', 'district', 'commune', 'other')),
    -- a re-issued code follows into the children
    CONSTRAINT agency_parent_fk FOREIGN KEY (parent_code) REFERENCES agency (code) ON UPDATE CASCADE
);
CREATE INDEX agency_parent_idx ON agency (parent_code);
CREATE INDEX agency_status_idx ON agency (status);

-- Old codes of re-issued agencies keep resolving (REQUIREMENTS R2). An old code is never handed out again.
CREATE TABLE agency_code_alias (
    old_code    VARCHAR(13) PRIMARY KEY,
    agency_code VARCHAR(13) NOT NULL REFERENCES agency (code) ON UPDATE CASCADE,
    retired_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE agency_event (
    id              BIGSERIAL    PRIMARY KEY,
    agency_id       BIGINT       NOT NULL REFERENCES agency (id),
    type            VARCHAR(16)  NOT NULL,
    effective_at    TIMESTAMPTZ  NOT NULL,
    recorded_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    actor           VARCHAR(128) NOT NULL,
    comment         VARCHAR(2000),
    before_name     VARCHAR(255),
    after_name      VARCHAR(255),
    before_code     VARCHAR(13),
    after_code      VARCHAR(13),
    successor_codes VARCHAR(13)[] NOT NULL DEFAULT '{}'
);
CREATE INDEX agency_event_agency_idx ON agency_event (agency_id, id);

CREATE TABLE information_system (
    id                   BIGSERIAL     PRIMARY KEY,
    code                 VARCHAR(64)   NOT NULL,
    name                 VARCHAR(255)  NOT NULL,
    search_text          TEXT          NOT NULL,
    agency_code          VARCHAR(13)   NOT NULL REFERENCES agency (code) ON UPDATE CASCADE,
    description          VARCHAR(2000),
    purpose              VARCHAR(2000),
    test_url             VARCHAR(2048),
    production_url       VARCHAR(2048),
    allowed_source_ips   VARCHAR(64)[] NOT NULL DEFAULT '{}',
    security_level       SMALLINT      NOT NULL,
    mandatory_connection BOOLEAN       NOT NULL DEFAULT false,
    status               VARCHAR(16)   NOT NULL DEFAULT 'registered',
    version              INTEGER       NOT NULL DEFAULT 1,
    created_at           TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at           TIMESTAMPTZ   NOT NULL DEFAULT now(),
    CONSTRAINT information_system_code_uk UNIQUE (code),
    CONSTRAINT information_system_level_ck CHECK (security_level BETWEEN 1 AND 5),
    CONSTRAINT information_system_status_ck CHECK (status IN ('registered', 'connected', 'suspended', 'revoked', 'retired'))
);
CREATE INDEX information_system_agency_idx ON information_system (agency_code);

CREATE TABLE system_contact (
    id         UUID         PRIMARY KEY,
    system_id  BIGINT       NOT NULL REFERENCES information_system (id),
    name       VARCHAR(255) NOT NULL,
    position   VARCHAR(255) NOT NULL,
    phone      VARCHAR(16)  NOT NULL,
    email      VARCHAR(254) NOT NULL,
    created_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX system_contact_system_idx ON system_contact (system_id);

CREATE TABLE connection_request (
    id                    UUID          PRIMARY KEY,
    system_id             BIGINT        NOT NULL REFERENCES information_system (id),
    purpose               VARCHAR(2000) NOT NULL,
    data_scope            VARCHAR(2000) NOT NULL,
    requested_services    VARCHAR(80)[] NOT NULL,
    expected_frequency    VARCHAR(255)  NOT NULL,
    -- RESTRICT: the technical contact of a request cannot silently disappear
    technical_contact_id  UUID          NOT NULL REFERENCES system_contact (id) ON DELETE RESTRICT,
    status                VARCHAR(24)   NOT NULL,
    suspended_from        VARCHAR(24),
    shortened             BOOLEAN       NOT NULL,
    operator_confirmed_by VARCHAR(128),
    operator_confirmed_at TIMESTAMPTZ,
    agency_confirmed_by   VARCHAR(128),
    agency_confirmed_at   TIMESTAMPTZ,
    requested_by          VARCHAR(128)  NOT NULL,
    version               INTEGER       NOT NULL DEFAULT 1,
    created_at            TIMESTAMPTZ   NOT NULL DEFAULT now(),
    updated_at            TIMESTAMPTZ   NOT NULL DEFAULT now()
);
-- Credentials are per system and environment (auth's contract), so a system has one open request at a time.
CREATE UNIQUE INDEX connection_request_one_open_uk ON connection_request (system_id)
    WHERE status NOT IN ('withdrawn', 'revoked');
CREATE INDEX connection_request_status_idx ON connection_request (status);

CREATE TABLE connection_request_transition (
    id         BIGSERIAL     PRIMARY KEY,
    request_id UUID          NOT NULL REFERENCES connection_request (id),
    at         TIMESTAMPTZ   NOT NULL DEFAULT now(),
    actor      VARCHAR(128)  NOT NULL,
    role       VARCHAR(32)   NOT NULL,
    action     VARCHAR(32)   NOT NULL,
    from_state VARCHAR(24),
    to_state   VARCHAR(24)   NOT NULL,
    comment    VARCHAR(2000)
);
CREATE INDEX connection_request_transition_req_idx ON connection_request_transition (request_id, id);
