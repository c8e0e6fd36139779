-- Alert webhooks are signed (RFC 9421, libs' WebhookSigner): each rule's secret is derived from audit's signing key,
-- the rule id and this generation, never stored; rotating a rule's secret moves the generation.
ALTER TABLE audit_alert_rule ADD COLUMN webhook_secret_generation INT NOT NULL DEFAULT 1;
