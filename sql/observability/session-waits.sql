-- One lock-wait sample: every session whose application_name starts with the run's tag, with its
-- state and wait event; pg_blocking_pids only for sessions waiting on a heavyweight lock (it briefly
-- takes every lock-manager partition lock, so it is not called for the others).
-- Parameters: $1 text = application_name prefix.
SELECT a.pid,
       a.state,
       a.wait_event_type,
       a.wait_event,
       CASE WHEN a.wait_event_type = 'Lock' THEN pg_blocking_pids(a.pid) END AS blocking_pids
FROM pg_stat_activity a
WHERE starts_with(a.application_name, $1)
  AND a.pid <> pg_backend_pid()
