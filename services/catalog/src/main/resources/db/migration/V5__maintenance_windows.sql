-- Announced maintenance windows (REQUIREMENTS M8, An Giang Art. 17.8: connected parties are told before maintenance
-- and upgrades). The operator announces windows of the platform or of services; a provider agency's admin announces
-- windows of its own services. Affected subscribers are notified (notification + webhook) when a window is announced,
-- rescheduled or cancelled, and routing learns it through the change feed (kind 'maintenance').
CREATE TABLE maintenance_window (
    id               UUID          PRIMARY KEY,
    title            VARCHAR(200)  NOT NULL,
    description      VARCHAR(4000),
    service_codes    VARCHAR(64)[] NOT NULL DEFAULT '{}',  -- empty: the whole platform
    environment      VARCHAR(16),                          -- null: both environments
    impact           VARCHAR(16)   NOT NULL,
    starts_at        TIMESTAMPTZ   NOT NULL,
    ends_at          TIMESTAMPTZ   NOT NULL,
    emergency        BOOLEAN       NOT NULL DEFAULT false,
    emergency_reason VARCHAR(2000),
    status           VARCHAR(16)   NOT NULL DEFAULT 'scheduled',
    cancel_reason    VARCHAR(2000),
    cancelled_at     TIMESTAMPTZ,
    announced_by     VARCHAR(128)  NOT NULL,
    announcer_agency VARCHAR(16),                          -- null: announced by an operator
    row_version      INT           NOT NULL DEFAULT 1,
    created_at       TIMESTAMPTZ   NOT NULL,
    updated_at       TIMESTAMPTZ   NOT NULL,
    CONSTRAINT maintenance_window_period_ck CHECK (ends_at > starts_at),
    CONSTRAINT maintenance_window_environment_ck CHECK (environment IS NULL OR environment IN ('test', 'production')),
    CONSTRAINT maintenance_window_impact_ck CHECK (impact IN ('unavailable', 'degraded')),
    CONSTRAINT maintenance_window_status_ck CHECK (status IN ('scheduled', 'cancelled'))
);
CREATE INDEX maintenance_window_ends_idx ON maintenance_window (ends_at);

-- Notifications about a window name it and its times.
ALTER TABLE notification ADD COLUMN maintenance_id UUID REFERENCES maintenance_window (id);
ALTER TABLE notification ADD COLUMN starts_at TIMESTAMPTZ;
ALTER TABLE notification ADD COLUMN ends_at TIMESTAMPTZ;

ALTER TABLE change_log DROP CONSTRAINT change_log_kind_ck;
ALTER TABLE change_log ADD CONSTRAINT change_log_kind_ck CHECK (kind IN ('route', 'subscription', 'maintenance'));
