-- Adds the distinct_pairs column to a manifest made before it existed (setup creates it now);
-- load runs this before clearing the dataset columns. No parameters.
ALTER TABLE dms.perf_dataset_manifest ADD COLUMN IF NOT EXISTS distinct_pairs BOOLEAN
