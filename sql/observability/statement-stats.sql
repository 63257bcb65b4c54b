-- pg_stat_statements of the connected database: the top statements by total execution time.
-- Parameters: $1 int = how many statements to return.
SELECT queryid::text AS queryid,
       left(regexp_replace(query, '\s+', ' ', 'g'), 300) AS query,
       sum(calls)::float8 AS calls,
       sum(total_exec_time)::float8 AS total_exec_time_ms,
       sum(rows)::float8 AS rows,
       sum(shared_blks_hit)::float8 AS shared_blks_hit,
       sum(shared_blks_read)::float8 AS shared_blks_read,
       sum(shared_blks_dirtied)::float8 AS shared_blks_dirtied,
       sum(shared_blks_written)::float8 AS shared_blks_written,
       sum(wal_records)::float8 AS wal_records,
       sum(wal_fpi)::float8 AS wal_fpi,
       sum(wal_bytes)::float8 AS wal_bytes
FROM pg_stat_statements
WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
GROUP BY queryid, query
ORDER BY total_exec_time_ms DESC
LIMIT $1
