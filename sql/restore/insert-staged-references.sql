-- Inserts the staged dataset rows with the referenced document resolved through Alias, as the
-- strategies do (sql/strategies/current.sql), in load order; Id comes from the identity. A row whose
-- referential id has no Alias is left out: the caller compares the row count with what it staged.
-- No parameters.
INSERT INTO dms.Reference (
    ParentDocumentId,
    ParentDocumentPartitionKey,
    ReferencedDocumentId,
    ReferencedDocumentPartitionKey,
    ReferentialId,
    ReferentialPartitionKey
)
SELECT s.ParentDocumentId, s.ParentDocumentPartitionKey, a.DocumentId, a.DocumentPartitionKey, s.ReferentialId, s.ReferentialPartitionKey
FROM pg_temp.restore_staging s
JOIN dms.Alias a
  ON a.ReferentialId = s.ReferentialId
 AND a.ReferentialPartitionKey = s.ReferentialPartitionKey
ORDER BY s.DatasetRowId
