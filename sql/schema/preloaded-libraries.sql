-- The server's shared_preload_libraries (pg_stat_statements only collects when listed). No parameters.
SELECT current_setting('shared_preload_libraries') AS libraries
