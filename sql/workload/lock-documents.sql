-- The dms shape's first step: lock the parent Document rows as DMS does before an update, in Id
-- order so that concurrent transactions over the same documents queue instead of deadlocking.
-- $1 bigint[] document ids, $2 smallint[] their partition keys (parallel).
SELECT d.Id AS id
FROM dms.Document d
JOIN unnest($1::bigint[], $2::smallint[]) AS p (Id, DocumentPartitionKey)
    ON d.DocumentPartitionKey = p.DocumentPartitionKey
   AND d.Id = p.Id
ORDER BY d.Id
FOR NO KEY UPDATE OF d
