-- routing's schema. The synchronous data plane keeps nothing here: routes, subscriptions, revocations and keys
-- live in an in-memory snapshot fed by catalog and auth, and payloads are never stored (REQUIREMENTS X3).
-- The asynchronous exchange envelopes (REQUIREMENTS X5) will be the first tables of this schema.
SELECT 1;
