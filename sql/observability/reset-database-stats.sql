-- Resets the connected database's statistics counters (pg_stat_user_tables, pg_stat_database, ...).
-- Parameters: none.
SELECT pg_stat_reset()
