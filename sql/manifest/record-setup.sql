-- Records what setup created. $1: partition count P; $2: refswarm version.
INSERT INTO dms.perf_dataset_manifest (partitions, refswarm_version) VALUES ($1, $2)
