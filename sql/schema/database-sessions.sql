-- Sessions connected to a database other than this one, by application_name (a run's sessions
-- rs_<runId>_<n> counted under their run's tag rs_<runId>_*), for setup to refuse dropping it.
-- $1: the database name.
SELECT CASE WHEN application_name ~ '^rs_.+_[0-9]+$' THEN regexp_replace(application_name, '_[0-9]+$', '_*')
            ELSE coalesce(nullif(application_name, ''), '(no application_name)') END AS application_name,
       count(*)::int AS sessions
FROM pg_stat_activity
WHERE datname = $1 AND pid <> pg_backend_pid()
GROUP BY 1
ORDER BY 2 DESC, 1
