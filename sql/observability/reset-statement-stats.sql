-- Resets pg_stat_statements for the connected database only (PostgreSQL 12+ takes a database oid):
-- other databases' statistics, other runs' included, are not theirs to lose. Parameters: none.
SELECT pg_stat_statements_reset(0, (SELECT oid FROM pg_database WHERE datname = current_database()), 0)
