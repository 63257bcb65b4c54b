-- pg_stat_wal (PostgreSQL 14+; cluster-wide) as one jsonb object, plus the current WAL position.
-- Parameters: none.
SELECT to_jsonb(w) AS stats, pg_current_wal_lsn()::text AS lsn
FROM pg_stat_wal w
