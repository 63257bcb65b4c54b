-- The manifest row (no row: setup did not finish). No parameters.
-- distinct_pairs through to_jsonb: a database set up before the column existed reads as NULL (false).
SELECT partitions, documents, reference_rows, avg_refs_per_doc, checksum, merge_constraint,
       duplicate_pairs, (to_jsonb(m) ->> 'distinct_pairs')::boolean AS distinct_pairs, loaded_at
FROM dms.perf_dataset_manifest m
