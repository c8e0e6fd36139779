-- Connected parties are told again shortly before a window starts (REQUIREMENTS M8; lgsp.catalog.maintenance-reminder,
-- 1 h by default): when that was done. An announcement or new start already within that lead counts as the reminder;
-- moving the start clears it, so the reminder comes again before the new start.
ALTER TABLE maintenance_window ADD COLUMN reminded_at TIMESTAMPTZ;
CREATE INDEX maintenance_window_reminder_idx ON maintenance_window (starts_at) WHERE status = 'scheduled' AND reminded_at IS NULL;
