-- Single sign-on (REQUIREMENTS A7): people may sign in through an OpenID Connect provider the province trusts (its
-- single sign-on, the national e-ID). An identity there (provider name, subject) is linked by an operator to one
-- account here; the account's role and agency stay the platform's decision, never the provider's claims.
CREATE TABLE account_identity (
    provider      VARCHAR(32)  NOT NULL,
    subject       VARCHAR(255) NOT NULL,
    username      VARCHAR(64)  NOT NULL REFERENCES account (username),
    linked_by     VARCHAR(128) NOT NULL,
    linked_at     TIMESTAMPTZ  NOT NULL DEFAULT now(),
    last_used_at  TIMESTAMPTZ,
    CONSTRAINT account_identity_pk PRIMARY KEY (provider, subject),
    CONSTRAINT account_identity_one_per_provider UNIQUE (username, provider)
);

-- Each ID token is exchanged once: a copy replayed later (from a log, a proxy) is refused on every replica.
CREATE TABLE exchanged_token (
    token_hash  BYTEA        PRIMARY KEY,
    expires_at  TIMESTAMPTZ  NOT NULL
);
CREATE INDEX exchanged_token_expires_idx ON exchanged_token (expires_at);

-- An account that signs in only through single sign-on has no password here.
ALTER TABLE account ALTER COLUMN password_hash DROP NOT NULL;
