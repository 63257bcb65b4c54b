-- The manifest row (no row: setup did not finish). No parameters.
SELECT partitions, documents, reference_rows, avg_refs_per_doc, checksum, merge_constraint,
       duplicate_pairs, loaded_at
FROM dms.perf_dataset_manifest
