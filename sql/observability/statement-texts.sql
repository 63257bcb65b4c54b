-- The text of some statements of pg_stat_statements in the connected database, by queryid, without
-- their leading comment lines (refswarm's SQL files open with a header comment), nor the
-- `PREPARE name AS` of statements SQL tags prepared with SQL PREPARE (worker/tagged-statements.ts).
-- Parameters: $1 text[] = queryids.
SELECT DISTINCT ON (queryid) queryid::text AS queryid,
       left(regexp_replace(regexp_replace(regexp_replace(query, '^\s*PREPARE\s+\S+\s+AS\s+', '', 'i'),
                                         '^(\s*--[^\n]*\n)+', ''), '\s+', ' ', 'g'), 300) AS query
FROM pg_stat_statements
WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND queryid::text = ANY ($1::text[])
ORDER BY queryid
