-- The reference set each given document holds, as the parts of its digest
-- (shared/workload/reference-set-digest.ts): the row count and, for each of the four big-endian
-- 32-bit words of the referential ids, their sum modulo 2^32. Documents without rows count 0.
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
    SELECT encode(uuid_send(x.ReferentialId), 'hex') AS Hex
    FROM dms.Reference x
    WHERE x.ParentDocumentPartitionKey = p.DocumentPartitionKey
      AND x.ParentDocumentId = p.Id
) r ON true
GROUP BY p.Id
