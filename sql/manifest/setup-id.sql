-- The identity setup gave this database (a new one each time it is set up): a run compares it with
-- the one it started on to notice the database was recreated under it. No parameters.
-- Through to_jsonb: a database set up before the column existed reads as NULL.
SELECT (to_jsonb(m) ->> 'setup_id') AS setup_id FROM dms.perf_dataset_manifest m
