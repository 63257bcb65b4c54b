-- pg_stat_io (PostgreSQL 16+; cluster-wide): the rows that saw any I/O.
-- Parameters: none.
SELECT backend_type, object, context,
       coalesce(reads, 0)::float8 AS reads,
       coalesce(writes, 0)::float8 AS writes,
       coalesce(extends, 0)::float8 AS extends,
       coalesce(hits, 0)::float8 AS hits,
       coalesce(evictions, 0)::float8 AS evictions,
       coalesce(fsyncs, 0)::float8 AS fsyncs
FROM pg_stat_io
WHERE coalesce(reads, 0) + coalesce(writes, 0) + coalesce(extends, 0) + coalesce(hits, 0) > 0
ORDER BY backend_type, object, context
