-- integrity/reference-set-sums on --schema alias-id: the same digest parts, over the referential ids
-- the rows' AliasIds resolve to through Alias, so one dataset digest fits both layouts.
-- $1 bigint[] document ids, $2 smallint[] their partition keys (parallel).
SELECT
    p.Id AS document_id,
    count(r.Hex) AS row_count,
    coalesce(sum(('x' || substr(r.Hex, 1, 8))::bit(32)::bigint) % 4294967296, 0)::bigint AS word0,
    coalesce(sum(('x' || substr(r.Hex, 9, 8))::bit(32)::bigint) % 4294967296, 0)::bigint AS word1,
    coalesce(sum(('x' || substr(r.Hex, 17, 8))::bit(32)::bigint) % 4294967296, 0)::bigint AS word2,
    coalesce(sum(('x' || substr(r.Hex, 25, 8))::bit(32)::bigint) % 4294967296, 0)::bigint AS word3
FROM unnest($1::bigint[], $2::smallint[]) AS p (Id, DocumentPartitionKey)
LEFT JOIN LATERAL (
    SELECT encode(uuid_send(a.ReferentialId), 'hex') AS Hex
    FROM dms.Reference x
    JOIN dms.Alias a
        ON a.ReferentialPartitionKey = x.ReferentialPartitionKey
       AND a.Id = x.AliasId
    WHERE x.ParentDocumentPartitionKey = p.DocumentPartitionKey
      AND x.ParentDocumentId = p.Id
) r ON true
GROUP BY p.Id
