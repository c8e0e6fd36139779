-- An agency that was merged, split or dissolved: auth disables its agency-admin accounts, so nobody keeps acting
-- for a body that no longer exists. Delivered like the other agency changes (retried until auth accepts).
ALTER TABLE agency_sync DROP CONSTRAINT agency_sync_kind_ck;
ALTER TABLE agency_sync ADD CONSTRAINT agency_sync_kind_ck CHECK (
       (kind = 'system' AND system_id IS NOT NULL AND agency_id IS NULL)
    OR (kind = 'agency-code' AND agency_id IS NOT NULL AND old_code IS NOT NULL AND system_id IS NULL)
    OR (kind = 'agency-ended' AND agency_id IS NOT NULL AND old_code IS NULL AND system_id IS NULL));

-- Agencies that ended before this existed: their admins are disabled now.
INSERT INTO agency_sync (kind, agency_id, catalog_pending)
SELECT 'agency-ended', g.id, false FROM agency g WHERE g.status IN ('merged', 'split', 'dissolved');
