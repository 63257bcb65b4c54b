-- Sizes of every dms table or partition (pg_total_relation_size of a partitioned parent is 0, so
-- parents are summed from these rows). Parameters: none. table_bytes includes TOAST, FSM and VM.
SELECT coalesce(parent.relname, c.relname) AS table_name,
       c.relname AS relation_name,
       pg_table_size(c.oid)::float8 AS table_bytes,
       pg_indexes_size(c.oid)::float8 AS index_bytes,
       pg_total_relation_size(c.oid)::float8 AS total_bytes,
       coalesce(pg_total_relation_size(parent.oid), 0)::float8 AS parent_total_relation_size
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_inherits i ON i.inhrelid = c.oid
LEFT JOIN pg_class parent ON parent.oid = i.inhparent
WHERE n.nspname = 'dms' AND c.relkind = 'r'
ORDER BY 1, 2
