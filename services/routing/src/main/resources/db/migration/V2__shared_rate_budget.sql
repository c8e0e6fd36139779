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
