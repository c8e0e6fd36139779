-- Asynchronous exchange (REQUIREMENTS X5, Vĩnh Long Art. 11): store and forward between a source system and the
-- provider of a service version it is subscribed to. An envelope lives here until the destination confirms, rejects
-- or it expires; the content is deleted then (the status stays, so the source and auditors can still ask).

CREATE TABLE exchange_envelope (
    id               uuid        PRIMARY KEY,
    environment      text        NOT NULL CHECK (environment IN ('test', 'production')),
    service_code     text        NOT NULL,
    service_version  text        NOT NULL,
    subscription_id  text        NOT NULL,
    source_system    text        NOT NULL,
    source_agency    text,
    recipient_system text        NOT NULL,
    recipient_agency text,
    title            text        NOT NULL,
    importance       text        NOT NULL CHECK (importance IN ('low', 'normal', 'high', 'urgent')),
    data_type        text        NOT NULL CHECK (data_type IN ('json', 'xml', 'csv', 'xlsx')),
    protocol         text        NOT NULL,
    state            text        NOT NULL CHECK (state IN ('awaiting-upload', 'ready', 'accepted', 'delivered',
                                                           'rejected', 'cancelled', 'expired')),
    max_bytes        bigint      NOT NULL,
    content_bytes    bigint,
    content_sha256   text,
    -- the representations the destination may pull: the uploaded data type first, then what it converts to
    formats          text[]      NOT NULL DEFAULT '{}',
    -- SHA-256 (hex) of every representation served, so the destination's confirmation can be checked
    served_sha256    text[]      NOT NULL DEFAULT '{}',
    downloads        integer     NOT NULL DEFAULT 0,
    reason           text,
    expires_at       timestamptz NOT NULL,
    created_at       timestamptz NOT NULL,
    uploaded_at      timestamptz,
    accepted_at      timestamptz,
    finished_at      timestamptz,
    updated_at       timestamptz NOT NULL,
    row_version      integer     NOT NULL
);
CREATE INDEX exchange_envelope_inbox ON exchange_envelope (recipient_system, environment, created_at DESC);
CREATE INDEX exchange_envelope_outbox ON exchange_envelope (source_system, environment, created_at DESC);
CREATE INDEX exchange_envelope_open ON exchange_envelope (expires_at)
    WHERE state IN ('awaiting-upload', 'ready', 'accepted');
CREATE INDEX exchange_envelope_finished ON exchange_envelope (finished_at) WHERE finished_at IS NOT NULL;

-- The payload, apart from the status so listing envelopes never reads it; gone once the envelope is finished.
CREATE TABLE exchange_content (
    envelope_id uuid  PRIMARY KEY REFERENCES exchange_envelope (id) ON DELETE CASCADE,
    body        bytea NOT NULL
);

-- What each system is told, in order: replayed to an event stream that reconnects with Last-Event-ID; every
-- replica hears new rows through NOTIFY lgsp_exchange (sent in the same transaction, so only once committed).
CREATE TABLE exchange_notice (
    id          bigserial   PRIMARY KEY,
    system_code text        NOT NULL,
    environment text        NOT NULL,
    envelope_id uuid        NOT NULL,
    kind        text        NOT NULL,
    body        jsonb       NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX exchange_notice_stream ON exchange_notice (system_code, environment, id);
CREATE INDEX exchange_notice_created ON exchange_notice (created_at);
