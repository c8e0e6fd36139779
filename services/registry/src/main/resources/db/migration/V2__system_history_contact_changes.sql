-- What happened to an information system beyond its own edits: retired, moved to another agency (by hand, or
-- because its agency was merged or split). Who, when, why, from which agency to which.
CREATE TABLE system_event (
    id          BIGSERIAL     PRIMARY KEY,
    system_id   BIGINT        NOT NULL REFERENCES information_system (id),
    type        VARCHAR(16)   NOT NULL,
    cause       VARCHAR(32)   NOT NULL,
    at          TIMESTAMPTZ   NOT NULL DEFAULT now(),
    actor       VARCHAR(128)  NOT NULL,
    comment     VARCHAR(2000),
    from_status VARCHAR(16),
    to_status   VARCHAR(16),
    from_agency VARCHAR(13),
    to_agency   VARCHAR(13),
    CONSTRAINT system_event_type_ck CHECK (type IN ('retired', 'moved'))
);
CREATE INDEX system_event_system_idx ON system_event (system_id, id);

ALTER TABLE information_system ADD COLUMN retired_at TIMESTAMPTZ;

-- A connection request's technical contact can be changed while it is open; the history says from whom to whom.
ALTER TABLE connection_request_transition ADD COLUMN from_contact_id UUID;
ALTER TABLE connection_request_transition ADD COLUMN to_contact_id UUID;
