-- Resets pg_stat_statements (every database: the view has no per-database reset before PG 14's
-- arguments, and a run owns the server while it asks for --reset-stats). Parameters: none.
SELECT pg_stat_statements_reset()
