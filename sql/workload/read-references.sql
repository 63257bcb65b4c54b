-- mixed scenario, forward read: a parent document's references (one partition).
-- $1 bigint parent document id, $2 smallint its partition key.
SELECT r.ReferentialId AS referential_id, r.ReferencedDocumentId AS referenced_document_id
FROM dms.Reference r
WHERE r.ParentDocumentPartitionKey = $2::smallint
  AND r.ParentDocumentId = $1::bigint
