-- Replicas of routing share one budget per subscription (ClusterBudget): each replica announces itself and writes
-- how many calls it let through today per subscription; every replica reads the others' totals about once a second.
-- Written and read off the request path, so the data plane never waits for PostgreSQL.
CREATE TABLE replica (
    id      text PRIMARY KEY,
    seen_at timestamptz NOT NULL
);

CREATE TABLE quota_usage (
    subscription_id text   NOT NULL,
    day             bigint NOT NULL, -- days since 1970-01-01 in Asia/Ho_Chi_Minh, when daily quotas reset
    replica_id      text   NOT NULL,
    used            bigint NOT NULL CHECK (used >= 0),
    PRIMARY KEY (subscription_id, day, replica_id)
);
CREATE INDEX quota_usage_day ON quota_usage (day);

-- RFC 9421 nonces seen by any replica, so a signed request replayed to another replica is refused too
-- (identity.SharedNonces). Rows are useless once the signature is too old to be accepted, and are swept.
CREATE TABLE used_nonce (
    key_id       text        NOT NULL,
    nonce        text        NOT NULL,
    forget_after timestamptz NOT NULL,
    PRIMARY KEY (key_id, nonce)
);
CREATE INDEX used_nonce_forget_after ON used_nonce (forget_after);
