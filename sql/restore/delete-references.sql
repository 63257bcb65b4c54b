-- Deletes every reference row of documents whose dataset reference set is empty.
-- $1 documentIds bigint[], $2 documentPartitionKeys smallint[] (parallel).
DELETE FROM dms.Reference r
USING unnest($1::bigint[], $2::smallint[]) AS d (Id, DocumentPartitionKey)
WHERE r.ParentDocumentId = d.Id
  AND r.ParentDocumentPartitionKey = d.DocumentPartitionKey
