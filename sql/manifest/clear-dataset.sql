-- Marks the database as holding no (complete) dataset; a load starts with this. No parameters.
UPDATE dms.perf_dataset_manifest
SET documents = NULL, reference_rows = NULL, avg_refs_per_doc = NULL, checksum = NULL,
    merge_constraint = NULL, duplicate_pairs = NULL, distinct_pairs = NULL, loaded_at = NULL
