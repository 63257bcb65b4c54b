-- The manifest row (no row: setup did not finish). No parameters.
-- Columns added later are read through to_jsonb: a database set up before they existed reads as
-- NULL (distinct_pairs false, schema_layout referential-id, dms_indexes false).
SELECT partitions, documents, reference_rows, avg_refs_per_doc, checksum, merge_constraint,
       duplicate_pairs, (to_jsonb(m) ->> 'distinct_pairs')::boolean AS distinct_pairs, loaded_at,
       to_jsonb(m) ->> 'schema_layout' AS schema_layout, (to_jsonb(m) ->> 'dms_indexes')::boolean AS dms_indexes
FROM dms.perf_dataset_manifest m
