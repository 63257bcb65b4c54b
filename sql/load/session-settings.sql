-- Per-connection settings of load: memory for index sorts; partitions build in parallel
-- connections, so no parallel workers inside one build; commits need not wait for the WAL flush
-- (the manifest is written last, with a normal commit that flushes everything before it).
-- {{maintenance_work_mem}}: e.g. 512MB.
SET maintenance_work_mem = '{{maintenance_work_mem}}';
SET max_parallel_maintenance_workers = 0;
SET synchronous_commit = off
