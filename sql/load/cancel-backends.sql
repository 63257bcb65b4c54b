-- Cancels the statements running in refswarm load's own connections (on Ctrl-C or a failure).
-- $1: int[] of backend pids.
SELECT pg_cancel_backend(pid) FROM unnest($1::int[]) AS pid
