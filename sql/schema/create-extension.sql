-- Enables an extension in the current database. {{extension}}: pg_stat_statements or pgstattuple.
CREATE EXTENSION IF NOT EXISTS {{extension}}
