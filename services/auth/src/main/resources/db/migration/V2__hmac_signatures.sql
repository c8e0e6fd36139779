-- Nonces of verified RFC 9421 signatures. The primary key makes a replay fail on whichever auth replica sees it
-- second; rows are useless once created + 2 x skew has passed and are purged periodically.
CREATE TABLE used_nonce (
    access_key  VARCHAR(64)  NOT NULL,
    nonce       VARCHAR(256) NOT NULL,
    expires_at  TIMESTAMPTZ  NOT NULL,
    CONSTRAINT used_nonce_pk PRIMARY KEY (access_key, nonce)
);
CREATE INDEX used_nonce_expires_idx ON used_nonce (expires_at);

-- The hmac-keys feed reads active hmac credentials only.
CREATE INDEX credential_hmac_active_idx ON credential (client_id) WHERE kind = 'hmac' AND status = 'active';

-- Revision of the hmac-keys feed. It must also change when a credential or a rotation overlap expires, which no
-- write announces: the feed compares a fingerprint of what it lists (metadata only, never secrets) with the last
-- one and bumps the revision when they differ, so the revision stays a monotonic number like the other feeds'.
CREATE TABLE hmac_feed_state (
    id           SMALLINT     PRIMARY KEY CHECK (id = 1),
    revision     BIGINT       NOT NULL,
    fingerprint  VARCHAR(64)  NOT NULL
);
INSERT INTO hmac_feed_state (id, revision, fingerprint) VALUES (1, 0, '');
