-- What auth and catalog still have to be told after a system changed agency (moved by hand, by a merge or a
-- split, or its agency's code was re-issued) or an agency's code was re-issued (agency-admin accounts).
-- Written in the transaction of the change, delivered after it commits by AgencySync and retried until
-- accepted: registry never holds its own transaction open on two other services, and a peer that is down
-- only delays the news. A row names the system or agency by id, not the new code: delivery sends the code
-- they have at that moment, so rows can be delivered in any order and re-delivered without harm.
CREATE TABLE agency_sync (
    id              BIGSERIAL     PRIMARY KEY,
    kind            VARCHAR(16)   NOT NULL,
    system_id       BIGINT        REFERENCES information_system (id),
    agency_id       BIGINT        REFERENCES agency (id),
    old_code        VARCHAR(13),
    auth_pending    BOOLEAN       NOT NULL DEFAULT true,
    catalog_pending BOOLEAN       NOT NULL,
    -- bumped when the row is re-armed by a newer change: a delivery that started before cannot mark it done
    generation      INTEGER       NOT NULL DEFAULT 1,
    attempts        INTEGER       NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMPTZ   NOT NULL DEFAULT now(),
    -- a replica delivering the row holds it until then; after a crash another takes it over
    leased_until    TIMESTAMPTZ,
    last_error      VARCHAR(500),
    created_at      TIMESTAMPTZ   NOT NULL DEFAULT now(),
    CONSTRAINT agency_sync_kind_ck CHECK ((kind = 'system' AND system_id IS NOT NULL AND agency_id IS NULL)
        OR (kind = 'agency-code' AND agency_id IS NOT NULL AND old_code IS NOT NULL AND system_id IS NULL))
);
-- One row per system: a second move before the first was delivered re-arms it.
CREATE UNIQUE INDEX agency_sync_system_uk ON agency_sync (system_id) WHERE kind = 'system';
CREATE INDEX agency_sync_due_idx ON agency_sync (next_attempt_at);

-- Moves and re-issued codes recorded before this table existed never reached auth and catalog: tell them now.
INSERT INTO agency_sync (kind, system_id, catalog_pending)
SELECT 'system', s.id, true FROM information_system s
WHERE s.status <> 'retired'
  AND (EXISTS (SELECT 1 FROM system_event e WHERE e.system_id = s.id AND e.type = 'moved')
       OR EXISTS (SELECT 1 FROM agency_code_alias a WHERE a.agency_code = s.agency_code));
INSERT INTO agency_sync (kind, agency_id, old_code, catalog_pending)
SELECT 'agency-code', g.id, a.old_code, false FROM agency_code_alias a JOIN agency g ON g.code = a.agency_code;
