-- pg_statio_user_tables for the dms schema, partitions summed into their partitioned parent.
-- Parameters: none. One row per dms table: buffer hits and reads of heap, indexes and TOAST.
SELECT coalesce(parent.relname, s.relname) AS table_name,
       sum(coalesce(s.heap_blks_read, 0))::float8 AS heap_blks_read,
       sum(coalesce(s.heap_blks_hit, 0))::float8 AS heap_blks_hit,
       sum(coalesce(s.idx_blks_read, 0))::float8 AS idx_blks_read,
       sum(coalesce(s.idx_blks_hit, 0))::float8 AS idx_blks_hit,
       sum(coalesce(s.toast_blks_read, 0))::float8 AS toast_blks_read,
       sum(coalesce(s.toast_blks_hit, 0))::float8 AS toast_blks_hit,
       sum(coalesce(s.tidx_blks_read, 0))::float8 AS tidx_blks_read,
       sum(coalesce(s.tidx_blks_hit, 0))::float8 AS tidx_blks_hit
FROM pg_statio_user_tables s
LEFT JOIN pg_inherits i ON i.inhrelid = s.relid
LEFT JOIN pg_class parent ON parent.oid = i.inhparent
WHERE s.schemaname = 'dms'
GROUP BY 1
ORDER BY 1
