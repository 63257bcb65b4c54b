-- The dms shape's second step: the document update itself (its timestamps and trace id).
-- $1 bigint[] document ids, $2 smallint[] their partition keys (parallel), $3 text trace id.
UPDATE dms.Document d
SET LastModifiedAt = now(),
    LastModifiedTraceId = $3::varchar(128)
FROM unnest($1::bigint[], $2::smallint[]) AS p (Id, DocumentPartitionKey)
WHERE d.DocumentPartitionKey = p.DocumentPartitionKey
  AND d.Id = p.Id
