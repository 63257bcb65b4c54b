-- The backend pids of a run's sessions: every session whose application_name starts with the run's tag.
-- Parameters: $1 text = application_name prefix.
SELECT pid
FROM pg_stat_activity
WHERE starts_with(application_name, $1)
  AND pid <> pg_backend_pid()
