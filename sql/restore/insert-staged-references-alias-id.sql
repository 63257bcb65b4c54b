-- restore/insert-staged-references on --schema alias-id: the staged dataset rows with their alias
-- and referenced document resolved through Alias, in load order; Id comes from the identity. A row
-- whose referential id has no Alias is left out: the caller compares the row count with what it
-- staged. No parameters.
INSERT INTO dms.Reference (
    ParentDocumentId,
    ParentDocumentPartitionKey,
    ReferentialPartitionKey,
    AliasId,
    ReferencedDocumentPartitionKey,
    ReferencedDocumentId
)
SELECT s.ParentDocumentId, s.ParentDocumentPartitionKey, s.ReferentialPartitionKey, a.Id, a.DocumentPartitionKey, a.DocumentId
FROM pg_temp.restore_staging s
JOIN dms.Alias a
  ON a.ReferentialId = s.ReferentialId
 AND a.ReferentialPartitionKey = s.ReferentialPartitionKey
ORDER BY s.DatasetRowId
