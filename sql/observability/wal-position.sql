-- The current WAL insert position: WAL written between two snapshots when pg_stat_wal is absent.
-- Parameters: none.
SELECT pg_current_wal_lsn()::text AS lsn
