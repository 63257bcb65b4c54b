-- pg_stat_statements summed over every statement of the connected database (nested work included
-- in its top-level statement): this database's WAL and buffers, apart from other databases' load.
-- dealloc counts entries pg_stat_statements evicted (when other databases' statements fill it): if it
-- moves between two snapshots, their sums lost what the evicted entries held; so when stats_reset
-- (a reset of everything) moves.
-- Parameters: none.
SELECT count(*)::float8 AS statements,
       (SELECT dealloc FROM pg_stat_statements_info)::float8 AS dealloc,
       (SELECT extract(epoch FROM stats_reset) FROM pg_stat_statements_info)::float8 AS stats_reset,
       coalesce(sum(calls), 0)::float8 AS calls,
       coalesce(sum(total_exec_time), 0)::float8 AS total_exec_time_ms,
       coalesce(sum(shared_blks_hit), 0)::float8 AS shared_blks_hit,
       coalesce(sum(shared_blks_read), 0)::float8 AS shared_blks_read,
       coalesce(sum(shared_blks_dirtied), 0)::float8 AS shared_blks_dirtied,
       coalesce(sum(wal_records), 0)::float8 AS wal_records,
       coalesce(sum(wal_fpi), 0)::float8 AS wal_fpi,
       coalesce(sum(wal_bytes), 0)::float8 AS wal_bytes
FROM pg_stat_statements
WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
