-- mixed scenario, forward read on --schema alias-id (workload/read-references on referential-id):
-- a parent document's references (one partition), their referential ids through Alias.
-- $1 bigint parent document id, $2 smallint its partition key.
SELECT a.ReferentialId AS referential_id, r.ReferencedDocumentId AS referenced_document_id
FROM dms.Reference r
JOIN dms.Alias a
    ON a.ReferentialPartitionKey = r.ReferentialPartitionKey
   AND a.Id = r.AliasId
WHERE r.ParentDocumentPartitionKey = $2::smallint
  AND r.ParentDocumentId = $1::bigint
