-- Records a completed load; the last thing a load writes.
-- $1 documents D, $2 reference rows R, $3 average references per document A, $4 content checksum,
-- $5 whether the merge unique constraint exists, $6 duplicate (parent, referential id) pairs of the
-- generated dataset, $7 whether they were left out (load --distinct-pairs).
UPDATE dms.perf_dataset_manifest
SET documents = $1, reference_rows = $2, avg_refs_per_doc = $3, checksum = $4,
    merge_constraint = $5, duplicate_pairs = $6, distinct_pairs = $7, loaded_at = now()
