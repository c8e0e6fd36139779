-- Admin tokens issued to an account at or before this moment (whole seconds: a token's iat) no longer pass,
-- anywhere: set when the account is disabled or its password changes. Published in the revocation feed while
-- such tokens could still be unexpired; the next login waits out the second, so it is never caught.
ALTER TABLE account ADD COLUMN tokens_valid_after TIMESTAMPTZ;
CREATE INDEX account_tokens_valid_after_ix ON account (tokens_valid_after) WHERE tokens_valid_after IS NOT NULL;
