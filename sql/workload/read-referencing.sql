-- mixed scenario, reverse lookup: the documents that reference a document. Reference is partitioned
-- by parent, so this visits every partition through the referenced-document index.
-- $1 bigint referenced document id, $2 smallint its partition key.
SELECT d.DocumentUuid AS document_uuid, d.ResourceName AS resource_name
FROM dms.Reference r
JOIN dms.Document d
    ON d.DocumentPartitionKey = r.ParentDocumentPartitionKey
   AND d.Id = r.ParentDocumentId
WHERE r.ReferencedDocumentPartitionKey = $2::smallint
  AND r.ReferencedDocumentId = $1::bigint
