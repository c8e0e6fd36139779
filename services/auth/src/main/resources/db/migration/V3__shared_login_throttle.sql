-- Failed logins to the admin API (operators, agency admins, auditors), by username and by source address, shared
-- by every auth replica: with the count kept in each replica's memory, an attacker spread over N replicas (the
-- HPA adds them under load) had N times the guesses at a human password. Rows older than the window are purged.
CREATE TABLE login_failure (
    key       VARCHAR(200) NOT NULL,
    failed_at TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX login_failure_key_idx ON login_failure (key, failed_at DESC);
CREATE INDEX login_failure_at_idx ON login_failure (failed_at);
