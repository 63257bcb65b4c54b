-- pg_stat_database for the connected database only, as one jsonb object (columns vary by version).
-- Parameters: none.
SELECT to_jsonb(d) - 'datid' - 'datname' AS stats
FROM pg_stat_database d
WHERE d.datname = current_database()
