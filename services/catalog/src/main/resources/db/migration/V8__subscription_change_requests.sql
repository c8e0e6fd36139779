-- What the consumer side cannot grant itself, it asks the provider for (REQUIREMENTS A3, Art. 21.5.c review; C4 period
-- of use): a higher access level and/or a later last day of use, with a reason. The provider side approves (all or
-- less of it) or rejects with a reason; the consumer side may withdraw it; a request still pending when its
-- subscription ends lapses. One pending request per subscription.
CREATE TABLE subscription_change_request (
    id                   UUID          PRIMARY KEY,
    subscription_id      UUID          NOT NULL REFERENCES subscription (id),
    status               VARCHAR(16)   NOT NULL,
    -- asked for; null: that term is not asked to change
    access_level         VARCHAR(8),
    period_end           DATE,
    reason               VARCHAR(2000) NOT NULL,
    -- the subscription's terms when the request was made, so a decision can be read later
    from_access_level    VARCHAR(8)    NOT NULL,
    from_period_end      DATE          NOT NULL,
    -- what the decision granted (approved only)
    granted_access_level VARCHAR(8),
    granted_period_end   DATE,
    decision_reason      VARCHAR(2000),
    requested_by         VARCHAR(128)  NOT NULL,
    decided_by           VARCHAR(128),
    created_at           TIMESTAMPTZ   NOT NULL,
    decided_at           TIMESTAMPTZ,
    CONSTRAINT change_request_status_ck CHECK (status IN ('pending', 'approved', 'rejected', 'withdrawn', 'lapsed')),
    CONSTRAINT change_request_terms_ck CHECK (access_level IS NOT NULL OR period_end IS NOT NULL),
    CONSTRAINT change_request_levels_ck CHECK (access_level IN ('view', 'use', 'update', 'share')
        AND from_access_level IN ('view', 'use', 'update', 'share')
        AND granted_access_level IN ('view', 'use', 'update', 'share'))
);
CREATE UNIQUE INDEX change_request_pending_uk ON subscription_change_request (subscription_id) WHERE status = 'pending';
CREATE INDEX change_request_status_idx ON subscription_change_request (status, created_at);

