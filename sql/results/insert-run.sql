-- One row in dms.perf_test_results for a finished run (idempotent per run id).
-- $1 run_id uuid, $2 test_name, $3 test_type, $4 start_time, $5 end_time, $6 total_operations,
-- $7 min, $8 avg, $9 max, $10 p95, $11 p99 latency (ms),
-- $12 dead_tuples_before, $13 dead_tuples_after, $14 table_size_before, $15 table_size_after,
-- $16 index_size_before, $17 index_size_after (NULL when not measured),
-- $18 parameters jsonb (resolved config, secrets masked), $19 metrics jsonb.
INSERT INTO dms.perf_test_results (
  run_id, test_name, test_type, start_time, end_time, total_operations,
  min_latency_ms, avg_latency_ms, max_latency_ms, p95_latency_ms, p99_latency_ms,
  dead_tuples_before, dead_tuples_after, table_size_before, table_size_after,
  index_size_before, index_size_after, parameters, metrics
) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
ON CONFLICT (run_id) DO NOTHING
