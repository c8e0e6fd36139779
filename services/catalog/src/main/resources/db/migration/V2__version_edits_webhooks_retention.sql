-- Versions can be edited after creation: the row version is their ETag, and an edit is a history entry
-- that names the fields it changed.
ALTER TABLE service_version ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE version_history ADD COLUMN changed_fields JSONB;

-- Webhook signing: each subscriber's secret is derived from the catalog's signing key, the subscription id and
-- this generation (never stored); rotating the secret bumps the generation.
ALTER TABLE subscription ADD COLUMN webhook_secret_generation INTEGER NOT NULL DEFAULT 1;

-- One webhook delivery of one notification, with its retry state. A redelivery is a new row pointing at the old.
CREATE TABLE webhook_delivery (
    id               BIGSERIAL     PRIMARY KEY,
    notification_id  BIGINT        NOT NULL REFERENCES notification (id),
    subscription_id  UUID          NOT NULL REFERENCES subscription (id),
    consumer_system  VARCHAR(64)   NOT NULL,
    consumer_agency  VARCHAR(16)   NOT NULL,
    url              VARCHAR(2048) NOT NULL,
    event            VARCHAR(32)   NOT NULL,
    payload          JSONB         NOT NULL,
    status           VARCHAR(16)   NOT NULL,
    attempts         INTEGER       NOT NULL DEFAULT 0,
    max_attempts     INTEGER       NOT NULL,
    next_attempt_at  TIMESTAMPTZ,
    last_attempt_at  TIMESTAMPTZ,
    last_status      INTEGER,
    last_error       VARCHAR(500),
    delivered_at     TIMESTAMPTZ,
    redelivery_of    BIGINT        REFERENCES webhook_delivery (id),
    requested_by     VARCHAR(128),
    created_at       TIMESTAMPTZ   NOT NULL,
    CONSTRAINT webhook_delivery_status_ck CHECK (status IN ('pending', 'delivered', 'failed'))
);
CREATE INDEX webhook_delivery_due_idx ON webhook_delivery (next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_delivery_subscription_idx ON webhook_delivery (subscription_id, id);
CREATE INDEX webhook_delivery_agency_idx ON webhook_delivery (consumer_agency, id);
