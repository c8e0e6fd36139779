-- Statistics and reconciliation count days in the province's calendar (Asia/Ho_Chi_Minh), as routing's daily quotas
-- and catalog's periods of use do, and as agencies keep their own books: a call at 23:30 in Hanoi belongs to that day,
-- not (as in UTC, 16:30) to the day before. The daily rollups were kept per UTC day; they are rebuilt from the raw log.

-- Rebuilds audit_stat_daily and audit_stat_error_daily from the raw log for every day it covers: rows from the UTC
-- date of the oldest raw transaction on are replaced by a recount per province day, exactly as RollupWriter counts
-- at ingest (same keys, '' for absent, mode 'sync' by default, the LatencyHistogram buckets); rows of older days,
-- whose raw records retention has already removed, stay as they are (UTC days). Answers the daily rows written.
-- Meant for this upgrade, when the kept rows are UTC days (a later call would also recount the first day's hours
-- before the oldest raw record, if retention had removed them).
CREATE OR REPLACE FUNCTION audit_rebuild_daily_rollups() RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
    first_at TIMESTAMPTZ;
    from_day DATE;
    written  BIGINT;
BEGIN
    SELECT min(occurred_at) INTO first_at FROM audit_event WHERE type = 'transaction';
    IF first_at IS NULL THEN
        RETURN 0;
    END IF;
    from_day := (first_at AT TIME ZONE 'UTC')::date;
    DELETE FROM audit_stat_daily WHERE day >= from_day;
    DELETE FROM audit_stat_error_daily WHERE day >= from_day;
    CREATE TEMPORARY TABLE audit_rebuild_src ON COMMIT DROP AS
    SELECT (occurred_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS day,
           coalesce(consumer_agency, '') AS ca, coalesce(consumer_system, '') AS cs,
           coalesce(provider_agency, '') AS pa, coalesce(provider_system, '') AS ps,
           coalesce(service_code, '') AS sc, coalesce(service_version, '') AS sv, coalesce(mode, 'sync') AS mode,
           coalesce(status, 0) AS status, coalesce(latency_ms, 0) AS latency,
           coalesce(request_bytes, 0) AS rq, coalesce(response_bytes, 0) AS rs, error_type,
           -- bucket i holds latency <= BOUNDS[i] (whole milliseconds): width_bucket over BOUNDS + 1
           width_bucket(coalesce(latency_ms, 0), ARRAY[2,3,4,6,8,11,16,21,31,51,76,101,151,201,301,501,751,1001,1501,2001,3001,5001,7501,10001,15001,20001,30001,60001]::bigint[]) AS b
    FROM audit_event WHERE type = 'transaction';
    INSERT INTO audit_stat_daily (day, consumer_agency, consumer_system, provider_agency, provider_system, service_code,
      service_version, mode, calls, errors_4xx, errors_5xx, request_bytes, response_bytes, latency_sum, latency_max,
      latency_hist)
    SELECT day, ca, cs, pa, ps, sc, sv, mode, count(*),
        count(*) FILTER (WHERE status >= 400 AND status < 500), count(*) FILTER (WHERE status >= 500),
        sum(rq)::bigint, sum(rs)::bigint, sum(latency)::bigint, greatest(0, max(latency)),
        ARRAY[count(*) FILTER (WHERE b = 0), count(*) FILTER (WHERE b = 1), count(*) FILTER (WHERE b = 2), count(*) FILTER (WHERE b = 3),
        count(*) FILTER (WHERE b = 4), count(*) FILTER (WHERE b = 5), count(*) FILTER (WHERE b = 6), count(*) FILTER (WHERE b = 7),
        count(*) FILTER (WHERE b = 8), count(*) FILTER (WHERE b = 9), count(*) FILTER (WHERE b = 10), count(*) FILTER (WHERE b = 11),
        count(*) FILTER (WHERE b = 12), count(*) FILTER (WHERE b = 13), count(*) FILTER (WHERE b = 14), count(*) FILTER (WHERE b = 15),
        count(*) FILTER (WHERE b = 16), count(*) FILTER (WHERE b = 17), count(*) FILTER (WHERE b = 18), count(*) FILTER (WHERE b = 19),
        count(*) FILTER (WHERE b = 20), count(*) FILTER (WHERE b = 21), count(*) FILTER (WHERE b = 22), count(*) FILTER (WHERE b = 23),
        count(*) FILTER (WHERE b = 24), count(*) FILTER (WHERE b = 25), count(*) FILTER (WHERE b = 26), count(*) FILTER (WHERE b = 27),
        count(*) FILTER (WHERE b = 28)]
    FROM audit_rebuild_src GROUP BY day, ca, cs, pa, ps, sc, sv, mode;
    GET DIAGNOSTICS written = ROW_COUNT;
    INSERT INTO audit_stat_error_daily (day, consumer_agency, consumer_system, provider_agency, provider_system,
      service_code, service_version, mode, error_type, calls)
    SELECT day, ca, cs, pa, ps, sc, sv, mode, error_type, count(*)
    FROM audit_rebuild_src WHERE error_type IS NOT NULL GROUP BY day, ca, cs, pa, ps, sc, sv, mode, error_type;
    DROP TABLE audit_rebuild_src;
    RETURN written;
END;
$$;

SELECT audit_rebuild_daily_rollups();
