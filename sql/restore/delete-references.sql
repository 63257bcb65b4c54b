-- Deletes every reference row of the given documents of one partition.
-- $1 parentDocumentPartitionKey smallint, $2 parentDocumentIds bigint[].
DELETE FROM dms.Reference
WHERE ParentDocumentPartitionKey = $1::smallint
  AND ParentDocumentId = ANY ($2::bigint[])
