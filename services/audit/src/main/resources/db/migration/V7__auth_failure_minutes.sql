-- Refused credentials per minute and claimed identity (auth_failure events: auth's token endpoint, every service's
-- refused bearer tokens and signatures), for the auth-failures alert rules; kept 2 days like audit_stat_minute.
-- client_id is the identity the credential claimed ('' when it claimed none), source the service that refused it.
CREATE TABLE audit_stat_auth_minute (
    minute    TIMESTAMPTZ  NOT NULL,
    source    VARCHAR(64)  NOT NULL,
    client_id VARCHAR(128) NOT NULL,
    failures  BIGINT       NOT NULL,
    PRIMARY KEY (minute, client_id, source)
);
