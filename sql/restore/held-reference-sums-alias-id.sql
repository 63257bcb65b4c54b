-- restore/held-reference-sums on --schema alias-id: the same sums for one partition's documents,
-- over the referential ids the rows' AliasIds resolve to through Alias.
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
    SELECT x.ParentDocumentId, encode(uuid_send(a.ReferentialId), 'hex') AS Hex
    FROM dms.Reference x
    JOIN dms.Alias a
        ON a.ReferentialPartitionKey = x.ReferentialPartitionKey
       AND a.Id = x.AliasId
    WHERE x.ParentDocumentPartitionKey = $1::smallint
      AND x.ParentDocumentId = ANY ($2::bigint[])
) r
GROUP BY r.ParentDocumentId
