-- pg_wait_sampling's cumulative profile of some backends: samples per wait event and top-level
-- statement (queryid) since the profile was last reset; a backend on CPU has no event.
-- Parameters: $1 int[] = backend pids.
SELECT pid,
       event_type,
       event,
       coalesce(queryid, 0)::text AS queryid,
       count::float8 AS count
FROM pg_wait_sampling_profile
WHERE pid = ANY ($1::int[])
