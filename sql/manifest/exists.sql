-- Whether this database was made by refswarm setup (the manifest table exists). No parameters.
SELECT to_regclass('dms.perf_dataset_manifest') IS NOT NULL AS present
