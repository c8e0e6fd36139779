-- Idempotency-Key on opening an exchange (draft-ietf-httpapi-idempotency-key-header): a source retrying a POST whose
-- answer it lost gets the envelope it already opened instead of a second one. Keys are the source system's own, per
-- environment, and live as long as the envelope's status (purged with it after the history retention).
ALTER TABLE exchange_envelope ADD COLUMN idempotency_key VARCHAR(255);
-- SHA-256 of the request as understood (defaults applied), so the same key with a different request is refused.
ALTER TABLE exchange_envelope ADD COLUMN request_sha256 CHAR(64);
CREATE UNIQUE INDEX exchange_envelope_idempotency_key ON exchange_envelope (source_system, environment, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
