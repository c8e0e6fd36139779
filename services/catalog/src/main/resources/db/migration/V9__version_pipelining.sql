-- How many GET/HEAD requests routing may send ahead on one upstream connection (HTTP/1.1 pipelining, RFC 9112
-- §9.3.2) for the version: 1 = none (the default, and every version before this column existed).
ALTER TABLE service_version ADD COLUMN pipelining SMALLINT NOT NULL DEFAULT 1 CHECK (pipelining BETWEEN 1 AND 16);
