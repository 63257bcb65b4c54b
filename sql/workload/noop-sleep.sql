-- noop scenario with --noop-sleep: a round trip of known server time.
-- $1 double precision seconds to sleep.
SELECT pg_sleep($1::double precision)
