-- Drops a refswarm database, disconnecting its sessions (setup --force only; the name has been
-- checked to start with dms_perf_). {{database}}: the database name (lowercase letters, digits, _).
DROP DATABASE IF EXISTS {{database}} WITH (FORCE)
