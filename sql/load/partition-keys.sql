-- Which partition key values (0 .. P-1) each hash partition of a table holds: PostgreSQL's own
-- hash routing, asked rather than re-implemented. $1: the partitioned table ('dms.document');
-- $2: the partition count P. Partitions that hold no key are absent.
SELECT r AS remainder, array_agg(k ORDER BY k) AS keys
FROM generate_series(0, $2 - 1) AS r, generate_series(0, $2 - 1) AS k
WHERE satisfies_hash_partition($1::regclass, $2, r, k::smallint)
GROUP BY r
