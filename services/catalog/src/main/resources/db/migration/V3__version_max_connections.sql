-- The most connections the gateway as a whole (all routing replicas together) opens to a version's upstream at
-- once: a slow provider needs more (Little's law), a fragile agency system must be shielded from too many. Routing
-- splits it across its replicas and event loops. Existing versions take the default.
ALTER TABLE service_version ADD COLUMN max_connections INTEGER NOT NULL DEFAULT 64;
ALTER TABLE service_version ADD CONSTRAINT service_version_max_connections_ck CHECK (max_connections BETWEEN 1 AND 10000);
