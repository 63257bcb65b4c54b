-- dms.perf_test_results: one row per run (docs/architecture.md#results), written by refswarm run at the end.
-- Latencies in milliseconds; dead tuples and sizes are those of dms.Reference (all partitions) in
-- the before/after snapshots; parameters holds the resolved run configuration (secrets masked),
-- metrics the run's derived figures (throughput, errors, per-operation costs, lock waits).
-- No parameters.
CREATE TABLE dms.perf_test_results (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  run_id UUID NOT NULL UNIQUE,
  test_name TEXT NOT NULL,
  test_type TEXT NOT NULL,
  start_time TIMESTAMPTZ NOT NULL,
  end_time TIMESTAMPTZ NOT NULL,
  total_operations BIGINT NOT NULL,
  min_latency_ms DOUBLE PRECISION,
  avg_latency_ms DOUBLE PRECISION,
  max_latency_ms DOUBLE PRECISION,
  p95_latency_ms DOUBLE PRECISION,
  p99_latency_ms DOUBLE PRECISION,
  dead_tuples_before BIGINT,
  dead_tuples_after BIGINT,
  table_size_before BIGINT,
  table_size_after BIGINT,
  index_size_before BIGINT,
  index_size_after BIGINT,
  parameters JSONB NOT NULL DEFAULT '{}',
  metrics JSONB NOT NULL DEFAULT '{}',
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
)
