-- pg_stat_user_tables for the dms schema, partitions summed into their partitioned parent.
-- Parameters: none. One row per dms table (a plain table counts as its own single "partition").
SELECT coalesce(parent.relname, s.relname) AS table_name,
       count(i.inhrelid)::float8 AS partitions,
       sum(s.n_live_tup)::float8 AS n_live_tup,
       sum(s.n_dead_tup)::float8 AS n_dead_tup,
       sum(s.n_tup_ins)::float8 AS n_tup_ins,
       sum(s.n_tup_upd)::float8 AS n_tup_upd,
       sum(s.n_tup_del)::float8 AS n_tup_del,
       sum(s.n_tup_hot_upd)::float8 AS n_tup_hot_upd,
       sum(s.seq_scan)::float8 AS seq_scan,
       sum(s.seq_tup_read)::float8 AS seq_tup_read,
       sum(coalesce(s.idx_scan, 0))::float8 AS idx_scan,
       sum(coalesce(s.idx_tup_fetch, 0))::float8 AS idx_tup_fetch,
       sum(s.vacuum_count)::float8 AS vacuum_count,
       sum(s.autovacuum_count)::float8 AS autovacuum_count,
       sum(s.analyze_count)::float8 AS analyze_count,
       sum(s.autoanalyze_count)::float8 AS autoanalyze_count
FROM pg_stat_user_tables s
LEFT JOIN pg_inherits i ON i.inhrelid = s.relid
LEFT JOIN pg_class parent ON parent.oid = i.inhparent
WHERE s.schemaname = 'dms'
GROUP BY 1
ORDER BY 1
