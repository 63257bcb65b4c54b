-- Records what setup created. $1: partition count P; $2: refswarm version; $3: the layout
-- (--schema: referential-id or alias-id); $4: whether DMS's data-out indexes were added (--dms-indexes).
INSERT INTO dms.perf_dataset_manifest (partitions, refswarm_version, schema_layout, dms_indexes) VALUES ($1, $2, $3, $4)
