-- Reverse lookups by referenced document, across partitions (DMS: IX_Reference_ReferencedDocument).
-- {{table}}: dms.Reference or dms.reference_NN; {{name}}: the index name, or empty on a partition to let PostgreSQL name it.
CREATE INDEX {{name}} ON {{table}} (ReferencedDocumentPartitionKey, ReferencedDocumentId)
