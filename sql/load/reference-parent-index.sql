-- A document's references, for DELETE/UPDATE by parent (DMS: IX_Reference_ParentDocumentId).
-- {{table}}: dms.Reference or dms.reference_NN; {{name}}: the index name, or empty on a partition to let PostgreSQL name it.
CREATE INDEX {{name}} ON {{table}} (ParentDocumentPartitionKey, ParentDocumentId)
