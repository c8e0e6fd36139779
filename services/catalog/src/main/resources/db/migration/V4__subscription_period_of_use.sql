-- A subscription is used only within its period of use (REQUIREMENTS C4: the registration states the period and the
-- operator approves it): routing refuses calls outside it, and catalog ends subscriptions whose period is over.
-- expiry_notice_at: when the subscriber was told its period is about to end (told once; cleared when the end moves).
ALTER TABLE subscription ADD COLUMN expiry_notice_at TIMESTAMPTZ;
CREATE INDEX subscription_period_end_idx ON subscription (period_end) WHERE status IN ('active', 'suspended');

-- Notifications about a subscription's period carry its last day of use.
ALTER TABLE notification ADD COLUMN period_end DATE;
