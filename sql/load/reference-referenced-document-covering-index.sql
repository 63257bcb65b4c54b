-- --schema alias-id: reverse lookups by referenced document, carrying the parent's keys so each
-- partition answers from the index alone (DMS-867: IX_Reference_ReferencedDocument).
-- {{table}}: dms.Reference or dms.reference_NN; {{name}}: the index name, or empty on a partition to let PostgreSQL name it.
CREATE INDEX {{name}} ON {{table}} (ReferencedDocumentPartitionKey, ReferencedDocumentId)
  INCLUDE (ParentDocumentPartitionKey, ParentDocumentId)
