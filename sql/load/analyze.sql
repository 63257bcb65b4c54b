-- Planner statistics of one table (a partitioned table's ANALYZE also covers its partitions).
-- {{table}}: dms.document, dms.alias or dms.reference.
ANALYZE {{table}}
