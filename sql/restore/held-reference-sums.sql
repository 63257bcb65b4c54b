-- The reference set each given document of one partition holds, as the parts of its digest: the
-- same sums as integrity/reference-set-sums (shared/workload/reference-set-digest.ts), but for one
-- partition, given as a scalar: the plan then reads that partition only, through the index on
-- (ParentDocumentPartitionKey, ParentDocumentId), however few rows the planner expects per document.
-- Documents without rows are absent from the result.
-- $1 parentDocumentPartitionKey smallint, $2 parentDocumentIds bigint[].
SELECT
    r.ParentDocumentId AS document_id,
    count(*) AS row_count,
    sum(('x' || substr(r.Hex, 1, 8))::bit(32)::bigint) % 4294967296 AS word0,
    sum(('x' || substr(r.Hex, 9, 8))::bit(32)::bigint) % 4294967296 AS word1,
    sum(('x' || substr(r.Hex, 17, 8))::bit(32)::bigint) % 4294967296 AS word2,
    sum(('x' || substr(r.Hex, 25, 8))::bit(32)::bigint) % 4294967296 AS word3
FROM (
    SELECT x.ParentDocumentId, encode(uuid_send(x.ReferentialId), 'hex') AS Hex
    FROM dms.Reference x
    WHERE x.ParentDocumentPartitionKey = $1::smallint
      AND x.ParentDocumentId = ANY ($2::bigint[])
) r
GROUP BY r.ParentDocumentId
