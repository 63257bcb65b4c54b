-- One lock-wait sample: every session whose application_name starts with the run's tag, with its
-- state and wait event; pg_blocking_pids only for sessions waiting on a heavyweight lock (it briefly
-- takes every lock-manager partition lock, so it is not called for the others). The SQL tag at the
-- start of the session's latest statement (shared/workload/sql-tag.ts), when its transaction began, how long it and
-- its state have lasted, and, for sessions that block another, the head of that statement.
-- Parameters: $1 text = application_name prefix.
WITH run_sessions AS MATERIALIZED (
  SELECT a.pid,
         a.state,
         a.wait_event_type,
         a.wait_event,
         a.query,
         a.xact_start,
         a.state_change,
         CASE WHEN a.wait_event_type = 'Lock' THEN pg_blocking_pids(a.pid) END AS blocking_pids
  FROM pg_stat_activity a
  WHERE starts_with(a.application_name, $1)
    AND a.pid <> pg_backend_pid()
)
SELECT s.pid,
       s.state,
       s.wait_event_type,
       s.wait_event,
       s.blocking_pids,
       substring(s.query FROM '^/\*run=[^*]*\*/') AS tag,
       (extract(epoch FROM now() - s.xact_start) * 1000)::bigint AS xact_ms,
       (extract(epoch FROM s.xact_start) * 1000000)::bigint AS xact_start_us,
       (extract(epoch FROM now() - s.state_change) * 1000)::bigint AS state_ms,
       CASE WHEN EXISTS (SELECT 1 FROM run_sessions b WHERE s.pid = ANY (b.blocking_pids))
            THEN left(regexp_replace(s.query, '^(\s*(/\*[^*]*\*/|--[^\n]*))*\s*', ''), 80) END AS statement
FROM run_sessions s
