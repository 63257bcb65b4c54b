-- Drops restore's staging table (restore/create-staging) once restore is done. No parameters.
DROP TABLE IF EXISTS pg_temp.restore_staging
