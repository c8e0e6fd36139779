-- auth's own tables. Secrets never appear in clear: client secrets and passwords as PBKDF2 hashes,
-- private signing keys and HMAC secret keys encrypted with AES-GCM under the master key.

-- RSA signing keys. Exactly one is active (the partial unique index makes a second one impossible even if two
-- replicas race at start); retired keys stay published in the JWKS until expires_at.
CREATE TABLE signing_key (
    kid             VARCHAR(64)  PRIMARY KEY,
    algorithm       VARCHAR(16)  NOT NULL,
    public_key      BYTEA        NOT NULL,
    private_key_enc BYTEA        NOT NULL,
    status          VARCHAR(16)  NOT NULL CHECK (status IN ('active', 'retired')),
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    retired_at      TIMESTAMPTZ,
    expires_at      TIMESTAMPTZ
);
CREATE UNIQUE INDEX signing_key_one_active ON signing_key ((true)) WHERE status = 'active';

-- Credentials of agency systems, per environment: consumer key + secret, or access key + secret key (HMAC).
CREATE TABLE credential (
    id                     UUID         PRIMARY KEY,
    system_code            VARCHAR(64)  NOT NULL,
    agency_code            VARCHAR(16)  NOT NULL,
    environment            VARCHAR(16)  NOT NULL CHECK (environment IN ('test', 'production')),
    kind                   VARCHAR(16)  NOT NULL CHECK (kind IN ('client_secret', 'hmac')),
    client_id              VARCHAR(64)  NOT NULL,
    secret_hash            VARCHAR(256),
    secret_enc             BYTEA,
    previous_secret_hash   VARCHAR(256),
    previous_secret_enc    BYTEA,
    previous_valid_until   TIMESTAMPTZ,
    status                 VARCHAR(16)  NOT NULL CHECK (status IN ('active', 'revoked')),
    created_at             TIMESTAMPTZ  NOT NULL DEFAULT now(),
    expires_at             TIMESTAMPTZ,
    rotated_at             TIMESTAMPTZ,
    revoked_at             TIMESTAMPTZ,
    created_by             VARCHAR(128),
    CONSTRAINT credential_client_id_uk UNIQUE (client_id),
    CONSTRAINT credential_secret_ck CHECK (secret_hash IS NOT NULL OR secret_enc IS NOT NULL)
);
CREATE INDEX credential_system_idx ON credential (system_code, environment);
CREATE INDEX credential_agency_idx ON credential (agency_code);
CREATE INDEX credential_revoked_idx ON credential (revoked_at) WHERE status = 'revoked';

-- Tokens revoked through RFC 7009, kept until they would have expired anyway.
CREATE TABLE revoked_token (
    jti         VARCHAR(64)  PRIMARY KEY,
    client_id   VARCHAR(128),
    subject     VARCHAR(128),
    expires_at  TIMESTAMPTZ  NOT NULL,
    revoked_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX revoked_token_expires_idx ON revoked_token (expires_at);

-- Revision of the revocation feed: bumped in the same transaction as every revocation, so an ETag never lies.
CREATE TABLE revocation_state (
    id        SMALLINT PRIMARY KEY CHECK (id = 1),
    revision  BIGINT   NOT NULL
);
INSERT INTO revocation_state (id, revision) VALUES (1, 0);

-- People who administer the platform through the admin APIs.
CREATE TABLE account (
    username       VARCHAR(64)  PRIMARY KEY,
    password_hash  VARCHAR(256) NOT NULL,
    role           VARCHAR(16)  NOT NULL CHECK (role IN ('operator', 'agency-admin', 'auditor')),
    agency_code    VARCHAR(16),
    status         VARCHAR(16)  NOT NULL CHECK (status IN ('active', 'disabled')),
    created_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    last_login_at  TIMESTAMPTZ,
    CONSTRAINT account_agency_ck CHECK ((role = 'agency-admin') = (agency_code IS NOT NULL))
);
