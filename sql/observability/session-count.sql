-- How many sessions whose application_name starts with the run's tag are still connected.
-- Parameters: $1 text = application_name prefix.
SELECT count(*)::int AS sessions
FROM pg_stat_activity
WHERE starts_with(application_name, $1) AND pid <> pg_backend_pid()
