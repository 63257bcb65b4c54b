-- pgstattuple_approx of every partition of dms.reference (needs the pgstattuple extension).
-- Parameters: none. One row per partition.
SELECT c.relname AS partition_name,
       a.table_len::float8 AS table_len,
       a.scanned_percent::float8 AS scanned_percent,
       a.approx_tuple_count::float8 AS approx_tuple_count,
       a.approx_tuple_len::float8 AS approx_tuple_len,
       a.dead_tuple_count::float8 AS dead_tuple_count,
       a.dead_tuple_len::float8 AS dead_tuple_len,
       a.approx_free_space::float8 AS approx_free_space
FROM pg_inherits i
JOIN pg_class c ON c.oid = i.inhrelid
CROSS JOIN LATERAL pgstattuple_approx(c.oid::regclass) a
WHERE i.inhparent = 'dms.reference'::regclass
ORDER BY c.relname
